namespace Backup.Core.Configuration.Loading;

/// <summary><c>sources.mysqldump</c> and <c>sources.directories</c>, and the rules across them.</summary>
internal sealed class SourcesReader(DefinedNames names)
{
    public (Dictionary<string, MySqlSourceConfig> MySql, Dictionary<string, DirectorySourceConfig> Directories) Read(
        MappingReader root)
    {
        var mySql = new Dictionary<string, MySqlSourceConfig>(StringComparer.Ordinal);
        var directories = new Dictionary<string, DirectorySourceConfig>(StringComparer.Ordinal);
        var sources = root.Mapping("sources");
        if (sources is null)
        {
            if (!root.Failed("sources"))
            {
                NothingToBackUp(root, line: null);
            }

            return (mySql, directories);
        }

        sources.AllowOnly(KeySchema.SourceKinds);
        var common = new SourceCommonReader(names);
        var mySqlSection = sources.Mapping("mysqldump");
        var directorySection = sources.Mapping("directories");

        var mySqlReader = new MySqlSourceReader(common);
        foreach (var (name, map) in mySqlSection?.NamedMappings() ?? [])
        {
            if (mySqlReader.Read(name, map) is { } source)
            {
                mySql.Add(name, source);
            }
        }

        var directoryReader = new DirectorySourceReader(common);
        foreach (var (name, map) in directorySection?.NamedMappings() ?? [])
        {
            if (directoryReader.Read(name, map) is { } source)
            {
                directories.Add(name, source);
            }
        }

        var mySqlNames = mySqlSection?.Keys().Select(k => k.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var directoryNames = directorySection?.Keys().ToList() ?? [];
        foreach (var (name, line) in directoryNames.Where(d => mySqlNames.Contains(d.Name)))
        {
            // Names become part of object keys, so two sources with one name would overwrite each other.
            sources.Errors.Add($"sources.directories.{name}", line,
                $"'{name}' is also a source under sources.mysqldump; source names must be unique, rename one of them");
        }

        if (mySqlNames.Count + directoryNames.Count == 0
            && !sources.Failed("mysqldump") && !sources.Failed("directories"))
        {
            NothingToBackUp(sources, sources.Line);
        }

        return (mySql, directories);
    }

    private static void NothingToBackUp(MappingReader map, int? line) =>
        map.Errors.Add("sources", line,
            "nothing to back up: define at least one source under sources.mysqldump or sources.directories");
}
