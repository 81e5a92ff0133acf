using Backup.Core.Sources;

namespace Backup.Core.Configuration.Loading;

/// <summary><c>sources.KIND.NAME</c> for every registered kind (<see cref="SourceKinds"/>), and the rules across them.</summary>
internal sealed class SourcesReader(DefinedNames names)
{
    /// <summary>Every source read without error, in <see cref="SourceKinds.All"/> order and file order within a kind.</summary>
    public IReadOnlyList<SourceConfig> Read(MappingReader root)
    {
        var read = new List<SourceConfig>();
        var sources = root.Mapping("sources");
        if (sources is null)
        {
            if (!root.Failed("sources"))
            {
                NothingToBackUp(root, line: null);
            }

            return read;
        }

        sources.AllowOnly(SourceKinds.All.Select(kind => kind.Key).ToList());
        var common = new SourceCommonReader(names);
        var sections = SourceKinds.All.Select(kind => (Kind: kind, Section: sources.Mapping(kind.Key))).ToList();
        foreach (var (kind, section) in sections)
        {
            foreach (var (name, map) in section?.NamedMappings() ?? [])
            {
                if (ReadOne(kind, common, name, map) is { } source)
                {
                    read.Add(source);
                }
            }
        }

        // Names become part of object keys, so two sources with one name would overwrite each other.
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, section) in sections)
        {
            foreach (var (name, line) in section?.Keys() ?? [])
            {
                if (!first.TryAdd(name, kind.Key))
                {
                    sources.Errors.Add($"sources.{kind.Key}.{name}", line,
                        $"'{name}' is also a source under sources.{first[name]}; source names must be unique, rename one of them");
                }
            }
        }

        if (first.Count == 0 && sections.All(s => !sources.Failed(s.Kind.Key)))
        {
            NothingToBackUp(sources, sources.Line);
        }

        return read;
    }

    /// <summary>One entry: the keys every source shares, read here once, then the kind's own.</summary>
    private static SourceConfig? ReadOne(ISourceKind kind, SourceCommonReader common, string name, MappingReader map)
    {
        map.AllowOnly([.. KeySchema.CommonSource, .. kind.Keys]);
        var errorsBefore = map.Errors.Count;
        var shared = common.Read(map);
        var own = kind.Read(name, map);
        return own is null || map.Errors.Count > errorsBefore ? null : shared.ApplyTo(own);
    }

    private static void NothingToBackUp(MappingReader map, int? line) =>
        map.Errors.Add("sources", line,
            $"nothing to back up: define at least one source under {string.Join(" or ", SourceKinds.All.Select(kind => $"sources.{kind.Key}"))}");
}
