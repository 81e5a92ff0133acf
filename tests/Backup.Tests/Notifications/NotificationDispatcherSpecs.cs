using System.Collections.Concurrent;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Notifications;
using Backup.Core.Running;
using Backup.Tests.Support;
using static Backup.Tests.Notifications.NotificationSamples;

namespace Backup.Tests.Notifications;

/// <summary>Which entry hears of what: start and end events, <c>on</c>, <c>notify</c>, failures as warnings, dry runs.</summary>
public sealed class NotificationDispatcherSpecs : IDisposable
{
    private const string Entries = """
          all: { method: webhook, url: "https://example.com/all", on: [start, success, warning, failure] }
          failures: { method: webhook, url: "https://example.com/failures" }
        """;

    private readonly TempDir _tmp = new("dispatcher");
    private readonly ConcurrentQueue<(string Entry, NotificationEvent Event, int Retries)> _sent = new();
    private readonly RecordingLog _log = new();

    public void Dispose() => _tmp.Dispose();

    private NotificationDispatcher Dispatcher(BackupConfig config, RunOptions? options = null, Func<NotificationConfig, INotifier>? notifiers = null) =>
        new(config, options ?? new RunOptions(), new NotificationRun("run-1", "db1", "/etc/backup.yaml"), _log,
            notifiers ?? (entry => new Recorder(entry, _sent)));

    [Fact]
    public async Task The_start_event_goes_to_the_entries_with_on_start_naming_their_sources()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path));

        dispatcher.Started(CancellationToken.None);
        await dispatcher.FinishedAsync(Report(Ok("prod", "shop"), Ok("home", "data")), CancellationToken.None);

        var start = Assert.Single(_sent, s => s.Event.Event == NotificationMoment.Start);
        Assert.Equal("all", start.Entry);
        Assert.Equal((NotificationStatus.Started, "run-1", "db1"), (start.Event.Status, start.Event.RunId, start.Event.Host));
        Assert.Equal(["prod", "home"], start.Event.Sources);
        Assert.Empty(start.Event.Artifacts);
    }

    [Fact]
    public async Task An_end_event_is_sent_only_to_the_entries_whose_on_lists_its_status()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path));

        dispatcher.Started(CancellationToken.None);
        await dispatcher.FinishedAsync(Report(Ok("prod", "shop"), Ok("home", "data")), CancellationToken.None);

        var end = Assert.Single(_sent, s => s.Event.Event == NotificationMoment.End);
        Assert.Equal(("all", NotificationStatus.Success, 0), (end.Entry, end.Event.Status, end.Event.ExitCode));
        Assert.Equal(2, end.Event.Artifacts.Count);
    }

    [Fact]
    public async Task A_failure_reaches_the_default_entries_with_every_artifact_and_the_exit_code()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path));

        var report = await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "mysqldump exited 2"), Ok("home", "data")), CancellationToken.None);

        var ends = _sent.Where(s => s.Event.Event == NotificationMoment.End).OrderBy(s => s.Entry).ToList();
        Assert.Equal(["all", "failures"], ends.Select(e => e.Entry));
        Assert.All(ends, e => Assert.Equal((NotificationStatus.Failure, 1, 2), (e.Event.Status, e.Event.ExitCode, e.Event.Artifacts.Count)));
        Assert.Equal(12.5, ends[0].Event.DurationSeconds);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task A_source_with_its_own_notify_is_reported_only_there_and_notify_none_nowhere()
    {
        var config = Config(Entries, _tmp.Path, homeExtra: ", notify: [failures]");
        using var dispatcher = Dispatcher(config);

        await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "x"), Failed("home", "data", "y")), CancellationToken.None);

        var ends = _sent.ToDictionary(s => s.Entry, s => s.Event);
        Assert.Equal(["prod"], ends["all"].Sources);
        Assert.Equal(["prod"], ends["all"].Artifacts.Select(a => a.Source));
        Assert.Equal(["prod", "home"], ends["failures"].Sources);

        _sent.Clear();
        using var silent = Dispatcher(Config(Entries, _tmp.Path, homeExtra: ", notify: []"), new RunOptions { Sources = ["home"] });
        silent.Started(CancellationToken.None);
        await silent.FinishedAsync(Report(Failed("home", "data", "y")), CancellationToken.None);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_report_of_the_run_itself_reaches_every_entry()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path, homeExtra: ", notify: [all]"), new RunOptions { Sources = ["home"] });

        await dispatcher.FinishedAsync(Report(Ok("home", "data"), Failed("", null, "the run's after step exited 1")), CancellationToken.None);

        var ends = _sent.ToDictionary(s => s.Entry, s => s.Event);
        Assert.Equal(["all"], ends.Keys);
        Assert.Equal(NotificationStatus.Failure, ends["all"].Status);
        Assert.Equal("backup on db1: failure (run failed)", EventText.Title(ends["all"]));
        Assert.Contains("FAILED run: the run's after step exited 1", EventText.Text(ends["all"]));
    }

    [Fact]
    public async Task Only_the_sources_of_the_run_count_for_an_entry()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path), new RunOptions { Sources = ["home"] });

        dispatcher.Started(CancellationToken.None);
        await dispatcher.FinishedAsync(Report(Ok("home", "data")), CancellationToken.None);

        Assert.All(_sent, s => Assert.Equal(["home"], s.Event.Sources));
    }

    [Fact]
    public async Task A_notification_that_fails_is_a_warning_naming_the_entry_and_the_outcome_stays()
    {
        var config = Config("""
              slack: { method: webhook, url: "https://hooks.slack.com/services/T/B/SecretPath", on: [start, failure] }
            """, _tmp.Path);
        using var dispatcher = Dispatcher(config, notifiers: _ => new Failing("HTTP 500 Internal Server Error (4 attempts)"));
        var artifacts = new[] { Failed("prod", "shop", "x"), Ok("home", "data") };

        dispatcher.Started(CancellationToken.None);
        var report = await dispatcher.FinishedAsync(Report(artifacts), CancellationToken.None);

        Assert.Equal(artifacts, report.Artifacts);
        Assert.True(report.AnyFailed);
        Assert.Equal(
            [
                "notifications.slack: not sent (start): HTTP 500 Internal Server Error (4 attempts)",
                "notifications.slack: not sent (end, failure): HTTP 500 Internal Server Error (4 attempts)",
            ],
            report.Warnings);
        Assert.Equal(2, _log.Warnings.Count(w => w.StartsWith("notifications.slack: not sent", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log.All, line => line.Contains("SecretPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notifier_that_breaks_is_a_warning_too_without_its_message()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path),
            notifiers: _ => new Broken(new InvalidOperationException("failed for https://example.com/all")));

        var report = await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "x")), CancellationToken.None);

        Assert.Equal(2, report.Warnings.Count);
        Assert.All(report.Warnings, w => Assert.EndsWith("unexpected error (InvalidOperationException); this is a bug, please report it", w));
        Assert.DoesNotContain(report.Warnings, w => w.Contains("example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_end_event_carries_the_warning_of_a_start_that_could_not_be_sent()
    {
        var config = Config(Entries, _tmp.Path);
        using var dispatcher = Dispatcher(config, notifiers: entry => entry.Name == "all" ? new FailingStart(entry, _sent) : new Recorder(entry, _sent));

        dispatcher.Started(CancellationToken.None);
        await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "x")), CancellationToken.None);

        var end = _sent.Single(s => s.Entry == "failures").Event;
        Assert.Equal(["notifications.all: not sent (start): refused"], end.Warnings);
    }

    [Fact]
    public async Task A_secret_in_an_error_message_is_masked_in_the_event_and_the_warning()
    {
        var environment = new Dictionary<string, string> { ["TOKEN"] = "Tok3n-Value-123" };
        var config = Config("""
              hook: { method: webhook, url: "https://example.com/hook?token=${TOKEN}" }
            """, _tmp.Path, environment: environment);
        using var dispatcher = Dispatcher(config);

        await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "refused https://example.com/hook?token=Tok3n-Value-123")), CancellationToken.None);

        Assert.Equal("refused ***", _sent.Single().Event.Artifacts.Single().Error);
    }

    [Fact]
    public async Task A_dry_run_sends_nothing()
    {
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path), new RunOptions { DryRun = true });

        dispatcher.Started(CancellationToken.None);
        var report = await dispatcher.FinishedAsync(Report(Failed("prod", "shop", "x") with { Status = ArtifactStatus.Failed }), CancellationToken.None);

        Assert.Empty(_sent);
        Assert.Empty(report.Warnings);
        Assert.Contains("dry run: notifications are not sent", _log.All);
    }

    [Fact]
    public async Task After_an_interrupt_the_end_event_is_still_sent_once_without_retries()
    {
        using var interrupted = new CancellationTokenSource();
        using var dispatcher = Dispatcher(Config(Entries, _tmp.Path));
        await interrupted.CancelAsync();

        await dispatcher.FinishedAsync(Report(Ok("prod", "shop") with { Status = ArtifactStatus.Interrupted }), interrupted.Token);

        Assert.Equal(2, _sent.Count);
        Assert.All(_sent, s => Assert.Equal((0, 130), (s.Retries, s.Event.ExitCode)));
    }

    private sealed class Recorder(NotificationConfig entry, ConcurrentQueue<(string, NotificationEvent, int)> sent) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct)
        {
            sent.Enqueue((entry.Name, notification, entry.Retries));
            return Task.CompletedTask;
        }
    }

    private sealed class Failing(string why) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct) => throw new NotificationFailedException(why);
    }

    private sealed class Broken(Exception e) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct) => Task.FromException(e);
    }

    private sealed class FailingStart(NotificationConfig entry, ConcurrentQueue<(string, NotificationEvent, int)> sent) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct) =>
            notification.Event == NotificationMoment.Start
                ? throw new NotificationFailedException("refused")
                : new Recorder(entry, sent).SendAsync(notification, ct);
    }

    private sealed class RecordingLog : IEventLog
    {
        private readonly ConcurrentQueue<string> _all = new();
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> All => [.. _all];

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public void Info(string message) => _all.Enqueue(message);

        public void Warn(string message)
        {
            _all.Enqueue(message);
            _warnings.Enqueue(message);
        }
    }
}
