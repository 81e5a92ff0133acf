using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Catalog;

namespace Backup.Cli.Commands;

/// <summary>
/// <c>backup status</c>: per source, item and destination, the newest complete artifact and its age,
/// judged against the source's <c>max_age</c>; read from the store alone, so a monitoring host with only
/// the config can run it. Costs per source and destination one listing and the newest manifests.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Show each item's newest backup and its age; exit 1 if any is older than max_age";

    public static Command Create(Option<FileInfo?> config)
    {
        var source = new Option<string?>("--source", "-s") { Description = "Only this source." };
        var destination = new Option<string?>("--destination", "-d") { Description = "Only this destination." };
        var json = CommonOptions.Json();
        var command = new Command("status", """
            Show, per source, item and destination, the newest complete artifact (one with its manifest),
            its age by this host's clock, and whether it is older than the source's max_age (STALE) or
            missing altogether (MISSING: the source has a max_age and nothing stored there, or nothing of
            an item its config names, such as a listed database). Reads only the
            store: a monitoring host needs the config and the store's credentials, nothing else.

            Examples:
              backup status --config /etc/backup.yaml
              backup status --source prod --json

            Exit codes: 0 every item with a max_age is fresh, 1 one is stale or missing (or a destination
            cannot be read), 2 config or usage error.
            """) { source, destination, json };
        command.SetAction((parse, ct) => CommandExecution.RunAsync("status", async token =>
        {
            var log = new ConsoleEventLog();
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var now = DateTimeOffset.UtcNow;
            var rows = new List<Freshness>();
            var unreadable = new List<string>();
            foreach (var scope in store.Scopes(parse.GetValue(source), parse.GetValue(destination)))
            {
                foreach (var name in scope.Sources)
                {
                    try
                    {
                        var listing = await StoreAccess.ReadLatestAsync(scope with { Sources = [name] }, null, null, token);
                        rows.AddRange(Freshness.Of(store.Source(name), scope.Destination.Name, listing, now));
                    }
                    catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
                    {
                        // One store down must not hide what the others say.
                        unreadable.Add($"{name} in {scope.Destination.Name}: {e.Message}");
                    }
                }
            }

            foreach (var problem in unreadable)
                Stderr.Error($"FAILED cannot read {problem}");
            var failing = rows.Count(r => r.Fails) + unreadable.Count;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    Ok = failing == 0,
                    Checked = now,
                    Items = rows.Select(r => new
                    {
                        r.Source,
                        r.Item,
                        r.Destination,
                        r.State,
                        Newest = r.Newest?.Created,
                        Key = r.Newest?.ObjectKey,
                        AgeSeconds = r.Age is { } age ? Math.Round(age.TotalSeconds) : (double?)null,
                        MaxAgeSeconds = r.MaxAge?.TotalSeconds,
                        Host = r.Newest?.Manifest.Host,
                    }),
                    Unreadable = unreadable,
                });
            }
            else
            {
                Console.Out.WriteLine($"{"SOURCE",-14} {"ITEM",-16} {"DESTINATION",-12} {"NEWEST (UTC)",-20} {"AGE",-8} {"MAX AGE",-8} STATE");
                foreach (var r in rows)
                    Console.Out.WriteLine(
                        $"{r.Source,-14} {r.Item ?? "-",-16} {r.Destination,-12} {(r.Newest is { } n ? n.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") : "-"),-20} "
                        + $"{(r.Age is { } a ? Short(a) : "-"),-8} {(r.MaxAge is { } m ? Short(m) : "-"),-8} {State(r.State)}");
            }

            Stderr.Info(
                $"status: {rows.Count(r => r.State == FreshnessState.Fresh)} fresh, {rows.Count(r => r.State == FreshnessState.Stale)} stale, "
                + $"{rows.Count(r => r.State == FreshnessState.Missing)} missing, {rows.Count(r => r.State == FreshnessState.Unchecked)} without max_age"
                + (unreadable.Count > 0 ? $", {unreadable.Count} unreadable" : ""));
            return failing == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    private static string State(FreshnessState state) => state switch
    {
        FreshnessState.Fresh => "fresh",
        FreshnessState.Stale => "STALE",
        FreshnessState.Missing => "MISSING",
        _ => "-",
    };

    /// <summary>The two largest units: <c>3d 4h</c>, <c>5h 12m</c>, <c>12m 5s</c>, <c>40s</c>.</summary>
    private static string Short(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        if (span.Seconds > 0 || parts.Count == 0) parts.Add($"{span.Seconds}s");
        return string.Join(" ", parts.Take(2));
    }
}
