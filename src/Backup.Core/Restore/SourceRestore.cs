using Backup.Core.Configuration;
using Backup.Core.Sources;

namespace Backup.Core.Restore;

/// <summary>Which options of <c>backup restore</c> each kind takes, and the kind that plans a source's restore.</summary>
public static class SourceRestore
{
    /// <summary>
    /// Every option some kind takes, once each (the shared ones first, then the kinds' own in registration
    /// order), with the keys of the kinds that take it: what the CLI declares.
    /// </summary>
    public static IReadOnlyList<(RestoreOption Option, IReadOnlyList<string> Kinds)> Options { get; } =
        RestoreOption.Shared.Concat(SourceKinds.All.SelectMany(kind => kind.RestoreOptions))
            .DistinctBy(option => option.Name)
            .Select(option => (option, (IReadOnlyList<string>)SourceKinds.All.Where(kind => Takes(kind, option.Name)).Select(kind => kind.Key).ToList()))
            .Where(entry => entry.Item2.Count > 0)
            .ToList();

    /// <summary>
    /// The restore <paramref name="request"/> asks of <paramref name="source"/>, planned by its kind. An
    /// option the kind does not take is a <see cref="UsageException"/> naming the kinds it is for.
    /// </summary>
    public static IRestoreAction Plan(SourceConfig source, RestoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        var kind = SourceKinds.Of(source);
        var foreign = request.Given.Keys.Where(name => !Takes(kind, name)).ToList();
        if (foreign.Count > 0)
        {
            // Options taken by the same kinds are named together: "--into is for mysqldump and postgresql sources".
            var owners = foreign
                .GroupBy(name => Join(SourceKinds.All.Where(other => Takes(other, name)).Select(other => other.Noun)))
                .Select(same => $"{Join(same)} {(same.Count() == 1 ? "is" : "are")} for {same.Key} sources");
            throw new UsageException($"{source.YamlPath} is a {kind.Noun} source: {kind.RestoreUsage} ({string.Join("; ", owners)})");
        }

        return kind.PlanRestore(source, request);
    }

    private static bool Takes(ISourceKind kind, string option) => kind.RestoreOptions.Any(o => o.Name == option);

    private static string Join(IEnumerable<string> words) => words.ToList() switch
    {
        [] => "no kind",
        [var one] => one,
        var many => $"{string.Join(", ", many[..^1])} and {many[^1]}",
    };
}
