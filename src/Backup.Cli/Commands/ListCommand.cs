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
            var entries = new List<CatalogEntry>();
            var problems = new List<CatalogProblem>();
            foreach (var scope in store.Scopes(parse.GetValue(source), parse.GetValue(destination)))
            {
                var listing = await StoreAccess.ReadAsync(scope, token);
                entries.AddRange(listing.Entries);
                problems.AddRange(listing.Problems);
            }

            foreach (var problem in problems)
                Console.Error.WriteLine($"problem: {problem}");
            var mixed = MixedHosts.In(entries);
            foreach (var series in mixed)
                Console.Error.WriteLine($"warning: {series}");
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { Artifacts = entries.Select(e => new { e.Destination, e.ObjectKey, e.Manifest }), Problems = problems, MixedHosts = mixed });
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"{"SOURCE",-14} {"ITEM",-16} {"CREATED (UTC)",-20} {"KIND",-8} {"STORED",10} {"RAW",10} {"ENCRYPTION",-10} {"HOST",-16} {"LOCK (UTC)",-27} {"DESTINATION",-12} KEY");
            foreach (var e in entries.OrderBy(e => e.Source).ThenBy(e => e.Item).ThenBy(e => e.Created))
            {
                var m = e.Manifest;
                var kind = m.Chain is { } chain ? $"L{chain.Level}" : m.Kind;
                var locked = m.ObjectLock is { } l ? $"{l.Mode.ToString().ToLowerInvariant()} {l.RetainUntil.UtcDateTime:yyyy-MM-dd HH:mm}" : "-";
                Console.Out.WriteLine($"{m.Source,-14} {m.Item,-16} {m.Created.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {kind,-8} {ByteSize.Format(m.StoredSize),10} {ByteSize.Format(m.RawSize),10} {m.Encryption,-10} {m.Host ?? "-",-16} {locked,-27} {e.Destination,-12} {e.ObjectKey}");
            }

            Console.Error.WriteLine($"{entries.Count} artifact(s), {problems.Count} problem(s)");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
