using System.Globalization;
using System.Text;
using Backup.Core.Running;

namespace Backup.Core.Notifications;

/// <summary>
/// The words of an event for people: a title (the e-mail subject), a one-line summary and the text
/// (summary, then every failure and warning). E-mail, healthchecks and webhook templates all use these.
/// </summary>
public static class EventText
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary><c>backup on HOST: failure (prod, home failed)</c>: host, status and the sources that need a look.</summary>
    public static string Title(NotificationEvent e)
    {
        var status = e.Status.ToString().ToLowerInvariant();
        var detail = e.Event == NotificationMoment.Stale ? $"{string.Join(", ", e.Stale.Select(i => i.Source).Distinct(StringComparer.Ordinal))} stale" : e.Status switch
        {
            NotificationStatus.Started => string.Join(", ", e.Sources),
            NotificationStatus.Failure => $"{string.Join(", ", SourcesWith(e, IsFailure))} failed",
            NotificationStatus.Warning => Joined(
                SourcesWith(e, a => a.Status == ArtifactStatus.Warning) is { Count: > 0 } warned ? $"{string.Join(", ", warned)} with warnings" : null,
                SourcesWith(e, a => a.Status == ArtifactStatus.Locked) is { Count: > 0 } locked ? $"{string.Join(", ", locked)} locked" : null),
            _ => "",
        };
        return detail.Length == 0 ? $"backup on {e.Host}: {status}" : $"backup on {e.Host}: {status} ({detail})";
    }

    /// <summary><c>2 ok, 1 with warnings, 1 failed, 1.2 MiB stored in 12.3 s</c>, or what a start is about.</summary>
    public static string Summary(NotificationEvent e)
    {
        if (e.Event == NotificationMoment.Start)
            return $"started {Plural(e.Sources.Count, "source")}: {string.Join(", ", e.Sources)}";
        if (e.Event == NotificationMoment.Stale)
            return StaleSummary(e);
        int Count(ArtifactStatus s) => e.Artifacts.Count(a => a.Status == s);
        var parts = new List<string>
        {
            $"{Count(ArtifactStatus.Ok)} ok", $"{Count(ArtifactStatus.Warning)} with warnings", $"{Count(ArtifactStatus.Failed)} failed",
        };
        if (Count(ArtifactStatus.StateNotAdvanced) > 0)
            parts.Add($"{Count(ArtifactStatus.StateNotAdvanced)} stored with state not advanced");
        if (Count(ArtifactStatus.Interrupted) > 0)
            parts.Add($"{Count(ArtifactStatus.Interrupted)} interrupted");
        if (Count(ArtifactStatus.Locked) > 0)
            parts.Add($"{Count(ArtifactStatus.Locked)} locked");
        parts.Add($"{Bytes(e.Artifacts.Sum(a => a.StoredSize))} stored");
        var seconds = (e.DurationSeconds ?? 0).ToString("0.0", CultureInfo.InvariantCulture);
        return $"{string.Join(", ", parts)} in {seconds} s";
    }

    /// <summary>The summary, then one line per failure and warning, as the CLI's closing lines say them.</summary>
    public static string Text(NotificationEvent e)
    {
        var text = new StringBuilder(Summary(e)).Append('\n');
        foreach (var a in e.Artifacts)
        {
            var label = Label(a);
            var line = a.Status switch
            {
                ArtifactStatus.Failed => $"FAILED {label}: {a.Error}",
                ArtifactStatus.StateNotAdvanced => $"STORED, STATE NOT ADVANCED {label}: {a.Error}",
                ArtifactStatus.Interrupted => $"interrupted {label}: {a.Error}",
                ArtifactStatus.Locked => $"LOCKED {label}: {a.Error}",
                _ => null,
            };
            if (line is not null)
                text.Append(line).Append('\n');
            if (a.Status is ArtifactStatus.Warning)
                foreach (var warning in a.Warnings)
                    text.Append($"warning {label}: {warning}\n");
        }

        foreach (var item in e.Stale)
        {
            var label = item.Item is null ? item.Source : $"{item.Source}/{item.Item}";
            text.Append(item.Newest is { } newest
                ? $"STALE {label} in {item.Destination}: newest {newest.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {Age(item.AgeSeconds)} ago (max_age {Age(item.MaxAgeSeconds)})\n"
                : $"MISSING {label} in {item.Destination}: nothing stored, watched for {Age(item.AgeSeconds)} (max_age {Age(item.MaxAgeSeconds)})\n");
        }

        foreach (var warning in e.Warnings)
            text.Append($"warning: {warning}\n");
        return text.ToString().TrimEnd('\n');
    }

    private static string StaleSummary(NotificationEvent e) => StaleSummary(e.Stale);

    /// <summary><c>no successful backup of prod for 27h (max_age 26h)</c>: the longest gap among the items.</summary>
    public static string StaleSummary(IReadOnlyList<StaleItem> items)
    {
        var sources = string.Join(", ", items.Select(i => i.Source).Distinct(StringComparer.Ordinal));
        var worst = items.MaxBy(i => i.AgeSeconds);
        return worst is null
            ? $"no successful backup of {sources}"
            : $"no successful backup of {sources} for {Age(worst.AgeSeconds)} (max_age {Age(worst.MaxAgeSeconds)})";
    }

    /// <summary>An age in its largest whole unit up to hours, as people say it of backups: <c>27h</c>, <c>45m</c>, <c>30s</c>.</summary>
    public static string Age(double seconds) => seconds switch
    {
        >= 3600 => $"{Math.Floor(seconds / 3600):0}h",
        >= 60 => $"{Math.Floor(seconds / 60):0}m",
        _ => $"{Math.Floor(seconds):0}s",
    };

    /// <summary>Each artifact on one line (status, size, time, key): the detail an e-mail ends with.</summary>
    public static string ArtifactLines(NotificationEvent e) => string.Join('\n', e.Artifacts.Select(a =>
    {
        var label = Label(a);
        var status = a.Status.ToString().ToLowerInvariant();
        var seconds = a.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return a.Key is null || a.Status is not (ArtifactStatus.Ok or ArtifactStatus.Warning or ArtifactStatus.StateNotAdvanced)
            ? $"{label}: {status}"
            : $"{label}: {status}, {Bytes(a.RawSize)} -> {Bytes(a.StoredSize)} in {seconds} s, {a.Key} in {string.Join(", ", a.StoredIn)}";
    }));

    /// <summary>The values of <see cref="BodyTemplate.Placeholders"/> for this event.</summary>
    public static IReadOnlyDictionary<string, string> Values(NotificationEvent e) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = Title(e),
        ["text"] = Text(e),
        ["summary"] = Summary(e),
        ["status"] = e.Status.ToString().ToLowerInvariant(),
        ["event"] = e.Event.ToString().ToLowerInvariant(),
        ["host"] = e.Host,
        ["config"] = e.Config,
        ["run_id"] = e.RunId,
        ["sources"] = string.Join(", ", e.Sources),
        ["failed"] = string.Join(", ", e.Artifacts.Where(IsFailure).Select(Label)),
    };

    public static string Bytes(double bytes)
    {
        var unit = 0;
        while (bytes >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes:0} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {Units[unit]}");
    }

    /// <summary><c>source/item</c>, <c>source</c> (a source that failed before its items), or <c>run</c> (a report of the run itself).</summary>
    private static string Label(ArtifactEvent a) => a.Source.Length == 0 ? "run" : a.Item is null ? a.Source : $"{a.Source}/{a.Item}";

    private static bool IsFailure(ArtifactEvent a) =>
        a.Status is ArtifactStatus.Failed or ArtifactStatus.Interrupted or ArtifactStatus.StateNotAdvanced;

    private static List<string> SourcesWith(NotificationEvent e, Func<ArtifactEvent, bool> predicate) =>
        e.Artifacts.Where(predicate).Select(a => a.Source.Length == 0 ? "run" : a.Source).Distinct(StringComparer.Ordinal).ToList();

    private static string Joined(params string?[] parts) => string.Join("; ", parts.Where(p => p is not null));

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
