using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Notifications;
using Backup.Core.Running;
using Backup.IntegrationTests.Support;
using static Backup.IntegrationTests.Notifications.NotificationEvents;

namespace Backup.IntegrationTests.Notifications;

/// <summary><c>method: healthchecks</c>: the ping protocol against a real HTTP server on loopback.</summary>
public sealed class HealthchecksNotificationSpecs : IAsyncDisposable
{
    private const string Check = "/ping/0b6b6e8c-4a1b-4c55-9d59-1a2b3c4d5e6f";

    private readonly LoopbackHttpReceiver _receiver = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TempDir _dir = new("healthchecks");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _dir.Dispose();
        await _receiver.DisposeAsync();
    }

    private HealthchecksNotifier Notifier(IReadOnlyList<string>? log = null) => new(
        new HealthchecksNotificationConfig { Name = "hc", Url = new Secret(_receiver.Url(Check)), On = HealthchecksNotificationConfig.AllTriggers },
        _http, () => log ?? [], _ => TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task A_start_pings_start_and_an_end_the_exit_code_both_with_the_run_id()
    {
        var notifier = Notifier();

        await notifier.SendAsync(Start(), CancellationToken.None);
        await notifier.SendAsync(End("db1", Ok("home", "data")), CancellationToken.None);
        await notifier.SendAsync(End("db1", Ok("home", "data"), Failed("prod", "shop", "mysqldump exited 2")), CancellationToken.None);
        await notifier.SendAsync(End("db1", Ok("home", "data") with { Status = ArtifactStatus.Locked }), CancellationToken.None);

        var targets = (await _receiver.WaitForAsync(4)).Select(r => r.Target).ToList();
        Assert.Equal(
            [$"{Check}/start?rid={RunId}", $"{Check}/0?rid={RunId}", $"{Check}/1?rid={RunId}", $"{Check}/75?rid={RunId}"],
            targets);
    }

    [Fact]
    public async Task The_end_ping_carries_the_summary_the_failures_and_the_last_log_lines()
    {
        var log = Enumerable.Range(1, 500).Select(i => $"2026-12-01T03:00:00Z info line {i} of the run").ToList();

        await Notifier(log).SendAsync(End("db1", Failed("prod", "shop", "mysqldump exited 2: Access denied")), CancellationToken.None);

        var body = Assert.Single(await _receiver.WaitForAsync(1)).Text;
        Assert.StartsWith("backup on db1: failure (prod failed)\n0 ok, 0 with warnings, 1 failed", body);
        Assert.Contains("FAILED prod/shop: mysqldump exited 2: Access denied\n", body);
        Assert.EndsWith("info line 500 of the run\n", body);
        Assert.DoesNotContain("info line 1 of the run", body);
        Assert.Matches(@"\nlast \d+ of 500 log lines:\n", body);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(body), 5000, HealthchecksNotifier.MaxBodyBytes);
    }

    [Fact]
    public async Task Log_lines_attached_by_a_run_are_masked_of_the_configs_secrets()
    {
        var config = ConfigLoaderText($"""
            sources:
              mysqldump:
                prod: {"{"} databases: [shop], temp: {_dir.Path}, password: Db-Pa55word-Value {"}"}
            notifications:
              hc: {"{"} method: healthchecks, url: "{_receiver.Url(Check)}" {"}"}
            """);
        var tail = new LogTail(IEventLog.Null);
        tail.Warn("mysqldump: login as backup with Db-Pa55word-Value refused");
        tail.Info($"pinging {_receiver.Url(Check)}");
        var options = new RunOptions();
        using var dispatcher = new NotificationDispatcher(config, options, NotificationRun.Create("/etc/backup.yaml"), IEventLog.Null, tail);

        dispatcher.Started(CancellationToken.None);
        var report = await dispatcher.FinishedAsync(
            new RunReport(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, false, [Failed("prod", "shop", "Access denied for Db-Pa55word-Value")]),
            CancellationToken.None);

        var requests = await _receiver.WaitForAsync(2);
        Assert.Empty(report.Warnings);
        Assert.EndsWith("/start", requests[0].Target.Split('?')[0]);
        var body = requests[1].Text;
        Assert.Contains("warn mysqldump: login as backup with *** refused", body);
        Assert.Contains("info pinging ***", body);
        Assert.Contains("FAILED prod/shop: Access denied for ***", body);
        Assert.DoesNotContain("Db-Pa55word-Value", body);
        Assert.DoesNotContain("0b6b6e8c", body);
    }

    [Fact]
    public async Task A_ping_answered_500_is_sent_again()
    {
        _receiver.Answer = n => n == 0 ? 500 : 200;

        await Notifier().SendAsync(Start(), CancellationToken.None);

        Assert.Equal(2, (await _receiver.WaitForAsync(2)).Count(r => r.Target.StartsWith($"{Check}/start", StringComparison.Ordinal)));
    }

    private BackupConfig ConfigLoaderText(string yaml) => ConfigLoader.Parse(yaml, "backup.yaml", _dir.Path, _ => null);
}
