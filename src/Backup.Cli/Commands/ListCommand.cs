using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core.Catalog;

namespace Backup.Cli.Commands;

/// <summary><c>backup list</c>: every stored artifact, read from the manifests in the destinations themselves.</summary>
internal static class ListCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "List the stored artifacts, read from the destinations";

    public static Command Create(Option<FileInfo?> config)
    {
        var source = new Option<string?>("--source", "-s") { Description = "Only this source." };
        var destination = new Option<string?>("--destination", "-d") { Description = "Only this destination (default: the source's, or all)." };
        var json = CommonOptions.Json();
        var command = new Command("list", """
            List every stored artifact, read from the manifests in the destinations (no local state: a
            fresh host lists what another host shipped): source, item, time, kind, sizes, encryption, host, and
            the Object Lock it was stored with (mode and retain-until date, UTC).

            Examples:
              backup list --config /etc/backup.yaml
              backup list --source prod --json

            """ + ExitCodes.HelpText) { source, destination, json };
        command.SetAction((parse, ct) => CommandExecution.RunAsync("list", async token =>
        {
            var log = new ConsoleEventLog();
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var scopes = store.Scopes(parse.GetValue(source), parse.GetValue(destination));
            if (parse.GetValue(json))
            {
                // The JSON report is one document: built whole.
                var all = new List<CatalogEntry>();
                var found = new List<CatalogProblem>();
                foreach (var scope in scopes)
                {
                    var listing = await StoreAccess.ReadAsync(scope, token);
                    all.AddRange(listing.Entries);
                    found.AddRange(listing.Problems);
                }

                foreach (var problem in found)
                    Stderr.Warn($"problem: {problem}");
                var mixedHosts = MixedHosts.In(all);
                foreach (var series in mixedHosts)
                    Stderr.Warn($"warning: {series}");
                JsonOutput.Write(new { Artifacts = all.Select(e => new { e.Destination, e.ObjectKey, e.Manifest }), Problems = found, MixedHosts = mixedHosts });
                return ExitCodes.Ok;
            }

            // The table streams: one listing per source, then each item's manifests read and printed
            // before the next item's, so memory follows the largest item, not the whole store.
            Console.Out.WriteLine($"{"SOURCE",-14} {"ITEM",-16} {"CREATED (UTC)",-20} {"KIND",-8} {"STORED",10} {"RAW",10} {"ENCRYPTION",-10} {"HOST",-16} {"LOCK (UTC)",-27} {"DESTINATION",-12} KEY");
            var entries = 0;
            var problems = 0;
            foreach (var scope in scopes)
            {
                var catalog = new BackupCatalog(scope.Destination, scope.Flat);
                foreach (var sourceName in scope.Sources)
                {
                    var index = await catalog.IndexAsync(scope.Flat ? "" : ArtifactNaming.SourcePrefix(sourceName), token);
                    foreach (var problem in index.Problems)
                        Stderr.Warn($"problem: {problem}");
                    problems += index.Problems.Count;
                    foreach (var item in index.Complete.GroupBy(k => k[..ArtifactNaming.ItemPartLength(k)], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
                    {
                        var listing = await catalog.ReadAllAsync(new StoredKeys(item.ToHashSet(StringComparer.Ordinal), [], [], []), token);
                        var rows = listing.Entries.Where(e => e.Source == sourceName).ToList();
                        foreach (var e in rows)
                            Console.Out.WriteLine(Row(e));
                        foreach (var problem in listing.Problems)
                            Stderr.Warn($"problem: {problem}");
                        foreach (var series in MixedHosts.In(rows))
                            Stderr.Warn($"warning: {series}");
                        entries += rows.Count;
                        problems += listing.Problems.Count;
                    }
                }
            }

            Stderr.Info($"{entries} artifact(s), {problems} problem(s)");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Row(CatalogEntry e)
    {
        var m = e.Manifest;
        var kind = m.Chain is { } chain ? $"L{chain.Level}" : m.Kind;
        var locked = m.ObjectLock is { } l ? $"{l.Mode.ToString().ToLowerInvariant()} {l.RetainUntil.UtcDateTime:yyyy-MM-dd HH:mm}" : "-";
        return $"{m.Source,-14} {m.Item,-16} {m.Created.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {kind,-8} {ByteSize.Format(m.StoredSize),10} {ByteSize.Format(m.RawSize),10} {m.Encryption,-10} {m.Host ?? "-",-16} {locked,-27} {e.Destination,-12} {e.ObjectKey}";
    }
}
