using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Running;

namespace Backup.Core.Notifications;

/// <summary>
/// Tells the configured <c>notifications</c> about one <c>backup run</c>: a start event before the first
/// source (to the entries with <c>on: start</c>), and at the end one event per entry with the artifacts
/// of the sources that report to it (their <c>notify</c> list, else every entry), sent when its status is
/// in the entry's <c>on</c>. Entries are sent at once, beside each other. A notification that cannot be
/// delivered is a warning in the log and the report, named by its YAML path (never its URL); it never
/// changes the run's outcome. A dry run sends nothing.
/// </summary>
public sealed class NotificationDispatcher : IDisposable
{
    private static readonly string ToolVersion = typeof(NotificationDispatcher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly BackupConfig _config;
    private readonly RunOptions _options;
    private readonly NotificationRun _run;
    private readonly IEventLog _log;
    private readonly Redactor _redactor;
    private readonly Func<NotificationConfig, INotifier> _notifiers;
    private readonly HttpClient? _http;
    private readonly List<string> _warnings = [];
    private readonly Lock _gate = new();
    private Task _started = Task.CompletedTask;
    private DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    /// <param name="tail">The run's log, whose last lines healthchecks pings attach; null: none attached.</param>
    public NotificationDispatcher(BackupConfig config, RunOptions options, NotificationRun run, IEventLog log, LogTail? tail = null)
        : this(config, options, run, log, notifiers: null, tail)
    {
    }

    /// <param name="notifiers">Makes each entry's notifier; null: the real ones (<see cref="For"/>). Specs pass their own.</param>
    internal NotificationDispatcher(
        BackupConfig config, RunOptions options, NotificationRun run, IEventLog log, Func<NotificationConfig, INotifier>? notifiers, LogTail? tail = null)
    {
        _config = config;
        _options = options;
        _run = run;
        _log = log;
        _redactor = new Redactor(config.Secrets);
        if (notifiers is null)
        {
            _http = HttpDelivery.NewClient();
            var http = _http;
            notifiers = entry => For(entry, http, () => (tail?.Lines ?? []).Select(_redactor.Redact).ToList());
        }

        _notifiers = notifiers;
    }

    /// <summary>The real notifier of an entry: one line per method.</summary>
    public static INotifier For(NotificationConfig entry, HttpClient http, Func<IReadOnlyList<string>> logLines, Func<int, TimeSpan>? backoff = null) =>
        entry switch
        {
            WebhookNotificationConfig webhook => new WebhookNotifier(webhook, http, backoff),
            HealthchecksNotificationConfig healthchecks => new HealthchecksNotifier(healthchecks, http, logLines, backoff),
            EmailNotificationConfig email => new EmailNotifier(email, backoff),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Method, "no notifier registered for this method"),
        };

    /// <summary>
    /// Sends the start event to the entries that want it, without holding up the run: a receiver that
    /// does not answer costs the backup nothing. <see cref="FinishedAsync"/> waits for it first, so a
    /// start never arrives after its end.
    /// </summary>
    public void Started(CancellationToken ct)
    {
        _startedAt = DateTimeOffset.UtcNow;
        if (_options.DryRun)
        {
            if (_config.Notifications.Count > 0)
                _log.Info("dry run: notifications are not sent");
            return;
        }

        var sends = Entries()
            .Where(e => e.Entry.On.Contains(NotificationTrigger.Start))
            .Select(e => SendAsync(e.Entry, StartEvent(e.Entry, e.Sources), retry: true, ct))
            .ToList();
        _started = Task.WhenAll(sends);
    }

    /// <summary>
    /// Sends each entry its end event, and returns the report with a warning for every notification
    /// that could not be delivered (start or end). After an interrupt each is tried once, still bounded
    /// by its timeout: a failure report is worth a last try, a long retry is not.
    /// </summary>
    public async Task<RunReport> FinishedAsync(RunReport report, CancellationToken ct)
    {
        await _started;
        if (_options.DryRun)
            return report;
        var interrupted = ct.IsCancellationRequested;
        var sends = new List<Task>();
        foreach (var (entry, sources) in Entries())
        {
            // A report of the run itself rather than of a source (an empty Source) concerns every entry.
            var artifacts = report.Artifacts.Where(a => a.Source.Length == 0 || sources.Contains(a.Source, StringComparer.Ordinal)).ToList();
            var status = NotificationOutcome.StatusOf(artifacts);
            if (!entry.On.Contains(NotificationOutcome.TriggerOf(status)))
                continue;
            var notification = StartEvent(entry, sources) with
            {
                Event = NotificationMoment.End,
                Status = status,
                Started = report.Started,
                Finished = report.Finished,
                DurationSeconds = Math.Round((report.Finished - report.Started).TotalSeconds, 3),
                ExitCode = NotificationOutcome.ExitCodeOf(artifacts),
                Artifacts = artifacts.Select(a => NotificationEvent.From(a, _redactor.Redact)).ToList(),
                Warnings = [.. report.Warnings.Select(_redactor.Redact), .. Warnings()],
            };
            sends.Add(SendAsync(entry, notification, retry: !interrupted, interrupted ? CancellationToken.None : ct));
        }

        await Task.WhenAll(sends);
        return report with { Warnings = [.. report.Warnings, .. Warnings()] };
    }

    /// <summary>
    /// Tells each entry with <c>failure</c> in its <c>on</c> of the <paramref name="items"/> of its sources
    /// that have gone stale (<c>backup daemon</c>'s freshness check): one <c>stale</c> event, status
    /// <c>failure</c>, exit code 1, as <c>backup status</c> would exit. Returns the warnings of entries
    /// that could not be told, as <see cref="FinishedAsync"/> adds them to a report.
    /// </summary>
    public async Task<IReadOnlyList<string>> StaleAsync(IReadOnlyList<StaleItem> items, DateTimeOffset now, CancellationToken ct)
    {
        var sends = new List<Task>();
        foreach (var (entry, sources) in Entries())
        {
            var own = items.Where(i => sources.Contains(i.Source, StringComparer.Ordinal)).ToList();
            if (own.Count == 0 || !entry.On.Contains(NotificationTrigger.Failure))
                continue;
            var notification = StartEvent(entry, sources) with
            {
                Event = NotificationMoment.Stale,
                Status = NotificationStatus.Failure,
                Started = now,
                Finished = now,
                DurationSeconds = 0,
                ExitCode = 1,
                Stale = own,
            };
            sends.Add(SendAsync(entry, notification, retry: true, ct));
        }

        await Task.WhenAll(sends);
        return Warnings();
    }

    public void Dispose() => _http?.Dispose();

    /// <summary>Each entry some selected source reports to, with those sources (in run order), in the file's order of entries.</summary>
    private List<(NotificationConfig Entry, IReadOnlyList<string> Sources)> Entries()
    {
        var selected = _config.AllSources.Where(s => _options.Sources.Count == 0 || _options.Sources.Contains(s.Name)).ToList();
        return _config.Notifications.Values
            .Select(entry => (Entry: entry, Sources: (IReadOnlyList<string>)selected
                .Where(s => _config.NotificationsFor(s).Any(n => n.Name == entry.Name)).Select(s => s.Name).ToList()))
            .Where(e => e.Sources.Count > 0)
            .ToList();
    }

    private NotificationEvent StartEvent(NotificationConfig entry, IReadOnlyList<string> sources) => new()
    {
        Event = NotificationMoment.Start,
        Status = NotificationStatus.Started,
        RunId = _run.RunId,
        Host = _run.Host,
        Config = _run.ConfigPath,
        Notification = entry.Name,
        Sources = sources,
        Started = _startedAt,
        ToolVersion = ToolVersion,
    };

    private async Task SendAsync(NotificationConfig entry, NotificationEvent notification, bool retry, CancellationToken ct)
    {
        var what = notification.Event == NotificationMoment.Start
            ? "start"
            : $"{notification.Event.ToString().ToLowerInvariant()}, {notification.Status.ToString().ToLowerInvariant()}";
        var notifier = _notifiers(retry ? entry : entry with { Retries = 0 });
        string? failure;
        try
        {
            // Off the caller's thread: a notifier's synchronous start (DNS, a TLS library) must not hold up the run.
            await Task.Run(() => notifier.SendAsync(notification, ct), CancellationToken.None);
            _log.Info($"{entry.YamlPath}: sent ({what})");
            return;
        }
        catch (NotificationFailedException e)
        {
            failure = e.Message;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            failure = "interrupted";
        }
        catch (Exception e)
        {
            // A bug in a notifier must not fail a backup that is done; its message may quote the URL.
            failure = $"unexpected error ({e.GetType().Name}); this is a bug, please report it";
        }

        var warning = _redactor.Redact($"{entry.YamlPath}: not sent ({what}): {failure}");
        _log.Warn($"{warning}; the backup's outcome is unchanged");
        lock (_gate)
            _warnings.Add(warning);
    }

    private List<string> Warnings()
    {
        lock (_gate)
            return [.. _warnings];
    }
}
