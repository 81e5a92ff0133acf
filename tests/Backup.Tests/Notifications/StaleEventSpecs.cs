using System.Collections.Concurrent;
using System.Text.Json;
using Backup.Core.Logging;
using Backup.Core.Notifications;
using Backup.Core.Running;
using Backup.Tests.Support;
using static Backup.Tests.Notifications.NotificationSamples;

namespace Backup.Tests.Notifications;

/// <summary>The <c>stale</c> event the daemon sends when a source's newest backup is older than its <c>max_age</c>.</summary>
public sealed class StaleEventSpecs : IDisposable
{
    private readonly TempDir _tmp = new("stale-event");

    public void Dispose() => _tmp.Dispose();

    private static readonly StaleItem Shop = new()
    {
        Source = "prod", Item = "shop", Destination = "s3", Newest = Started.AddHours(-27), AgeSeconds = 27 * 3600, MaxAgeSeconds = 26 * 3600,
    };

    [Fact]
    public async Task A_stale_source_is_a_failure_event_to_the_entries_it_reports_to_that_want_failures()
    {
        var config = Config("""
              all: { method: webhook, url: "https://example.com/all", on: [start, success, warning, failure] }
              quiet: { method: webhook, url: "https://example.com/quiet", on: [success] }
              failures: { method: webhook, url: "https://example.com/failures" }
            """, _tmp.Path);
        var sent = new ConcurrentQueue<(string Entry, NotificationEvent Event)>();
        using var dispatcher = new NotificationDispatcher(config, new RunOptions { Sources = ["prod"] }, new NotificationRun("run-1", "db1", "/etc/backup.yaml"),
            IEventLog.Null, entry => new Recorder(entry.Name, sent));

        var warnings = await dispatcher.StaleAsync([Shop], Started, CancellationToken.None);

        Assert.Empty(warnings);
        Assert.Equal(["all", "failures"], sent.Select(s => s.Entry).Order());
        var e = sent.First().Event;
        Assert.Equal((NotificationMoment.Stale, NotificationStatus.Failure, 1), (e.Event, e.Status, e.ExitCode));
        Assert.Equal(["prod"], e.Sources);
        using var json = JsonDocument.Parse(e.ToJson());
        Assert.Equal("stale", json.RootElement.GetProperty("event").GetString());
        var item = json.RootElement.GetProperty("stale")[0];
        Assert.Equal(("prod", "shop", "s3", 97200.0), (item.GetProperty("source").GetString(), item.GetProperty("item").GetString(),
            item.GetProperty("destination").GetString(), item.GetProperty("age_seconds").GetDouble()));
    }

    [Fact]
    public void Its_words_say_how_long_there_has_been_no_successful_backup()
    {
        var missing = Shop with { Item = null, Newest = null, AgeSeconds = 3 * 3600 + 5, MaxAgeSeconds = 2 * 3600 };
        var e = End() with { Event = NotificationMoment.Stale, Status = NotificationStatus.Failure, ExitCode = 1, Host = "db1", Stale = [Shop, missing] };

        Assert.Equal("backup on db1: failure (prod stale)", EventText.Title(e));
        Assert.Equal("no successful backup of prod for 27h (max_age 26h)", EventText.Summary(e));
        Assert.Equal("""
            no successful backup of prod for 27h (max_age 26h)
            STALE prod/shop in s3: newest 2026-11-30 00:00:00Z, 27h ago (max_age 26h)
            MISSING prod in s3: nothing stored, watched for 3h (max_age 2h)
            """.ReplaceLineEndings("\n").TrimEnd('\n'), EventText.Text(e));
        Assert.EndsWith("/1?rid=" + e.RunId, HealthchecksNotifier.PingUrl("https://hc-ping.com/abc", e).ToString());
    }

    private sealed class Recorder(string entry, ConcurrentQueue<(string, NotificationEvent)> sent) : INotifier
    {
        public Task SendAsync(NotificationEvent notification, CancellationToken ct)
        {
            sent.Enqueue((entry, notification));
            return Task.CompletedTask;
        }
    }
}
