using System.Collections.Concurrent;
using Backup.Core.Configuration;
using Backup.Core.Metrics;
using Backup.Core.Notifications;
using Backup.Core.Pipeline;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.Tests.Destinations;
using Backup.Tests.Fakes;
using Backup.Tests.Locking;

namespace Backup.Tests.Running;

/// <summary>
/// <see cref="NotifiedRun"/>, the one path of <c>backup run</c> and of every daemon slot: what escapes the
/// runner still reaches the notifications and the metrics before it goes on to the caller.
/// </summary>
public sealed class NotifiedRunSpecs : IDisposable
{
    private const string Token = "hunter2-token-1234";

    private readonly FakeComponents _components = new();
    private readonly LockFixture _locks = new();
    private readonly ConcurrentQueue<NotificationEvent> _sent = new();

    public NotifiedRunSpecs()
    {
        _components.Destinations["store"] = new InMemoryDestination("store");
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", "hello"u8.ToArray())]);
    }

    public void Dispose() => _locks.Dispose();

    private static BackupConfig Config() => new()
    {
        AllSources = [new DirectorySourceConfig { Name = "home", Path = "/x", Destinations = ["store"] }],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = "/x" } },
        Notifications = new Dictionary<string, NotificationConfig>
        {
            // The default `on`: warning and failure.
            ["ops"] = new WebhookNotificationConfig { Name = "ops", Url = new Secret("https://example.com/hook") },
        },
        Secrets = [new Secret(Token)],
    };

    [Fact]
    public async Task What_escapes_the_runner_is_told_as_a_failure_of_the_run_masked_and_still_thrown()
    {
        var config = Config();
        var metrics = new RunMetrics(config);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => NotifiedRun.RunAsync(
            config, "/etc/backup.yaml", new RunOptions(), _components, new LogTail(new RecordingEventLog()),
            _locks.Settings(time: TimeProvider.System), new BrokenObserver(), metrics.Record,
            entry => new Recorder(_sent), CancellationToken.None));

        Assert.Contains(Token, thrown.Message);
        var end = Assert.Single(_sent, e => e.Event == NotificationMoment.End);
        Assert.Equal((NotificationStatus.Failure, 1), (end.Status, end.ExitCode));
        var artifact = Assert.Single(end.Artifacts);
        Assert.Equal(("", ArtifactStatus.Failed), (artifact.Source, artifact.Status));
        Assert.Contains("unexpected error (InvalidOperationException)", artifact.Error);
        Assert.DoesNotContain(Token, artifact.Error);
        var run = Assert.Single(metrics.Current.Series, s => s.Source.Length == 0);
        Assert.Equal(ArtifactStatus.Failed, run.LastRunStatus);
    }

    [Fact]
    public async Task A_run_that_ends_normally_is_told_once_from_its_report()
    {
        var config = Config();
        _components.Sources["home"] = new FakeSource("home", [], preflightError: "the source is gone");

        var report = await NotifiedRun.RunAsync(
            config, "/etc/backup.yaml", new RunOptions(), _components, new LogTail(new RecordingEventLog()),
            _locks.Settings(time: TimeProvider.System), IRunObserver.Null, new RunMetrics(config).Record,
            entry => new Recorder(_sent), CancellationToken.None);

        Assert.Equal(ArtifactStatus.Failed, Assert.Single(report.Artifacts).Status);
        var end = Assert.Single(_sent, e => e.Event == NotificationMoment.End);
        Assert.Equal("home", Assert.Single(end.Artifacts).Source);
    }

    /// <summary>A progress display that cannot write (its stream is gone): it throws where the runner does not catch.</summary>
    private sealed class BrokenObserver : IRunObserver
    {
        public void ArtifactStarted(ArtifactProgress progress) => throw new InvalidOperationException($"display broke near {Token}");

        public void ArtifactFinished(ArtifactProgress progress, ArtifactReport report)
        {
        }
    }

    private sealed class Recorder(ConcurrentQueue<NotificationEvent> sent) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct)
        {
            sent.Enqueue(notification);
            return Task.CompletedTask;
        }
    }
}
