using Backup.Core.Configuration;
using Backup.Core.Notifications;
using Backup.Core.Pipeline;

namespace Backup.Core.Scheduling;

/// <summary>
/// The daemon's watch over <c>max_age</c>: every source that has one is judged as <c>backup status</c>
/// judges it, after each of its runs and every <see cref="StaleWatch.Interval"/>, and a source that turns
/// stale is told of once (a <c>stale</c> notification, status failure) until it is seen fresh again.
/// </summary>
public sealed partial class Daemon
{
    /// <summary>A watch for every source with a <c>max_age</c>, scheduled or not (the daemon watches over runs cron makes too).</summary>
    private void WatchFreshness(DateTimeOffset now)
    {
        var watched = _config.AllSources.Where(s => s.MaxAge is not null).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _watches.Keys.Where(n => !watched.Contains(n)).ToList())
            _watches.Remove(name);
        foreach (var name in watched)
            _watches.TryAdd(name, new StaleWatch(now));
    }

    private void CheckIfDue(string name, StaleWatch watch, DateTimeOffset now)
    {
        if (!watch.Checking.IsCompleted)
            return;
        if (watch.CheckRequested)
            (watch.CheckRequested, watch.NextCheck) = (false, now);
        if (now < watch.NextCheck || Source(name).MaxAge is not { } maxAge)
            return;
        watch.NextCheck = now + StaleWatch.Interval(maxAge);
        var (config, source) = (_config, Source(name));
        Interlocked.Increment(ref _active);
        watch.Checking = Task.Run(() => CheckAsync(config, source, watch));
    }

    private async Task CheckAsync(BackupConfig config, SourceConfig source, StaleWatch watch)
    {
        try
        {
            var now = Now;
            var rows = await _work.FreshnessAsync(config, source, now, _checks.Token);
            var items = StaleWatch.StaleItems(rows, watch.Since, now);
            if (items.Count > 0 && !watch.Alerted)
            {
                watch.Alerted = true;
                _log.Warn($"daemon: {source.YamlPath}: {EventText.StaleSummary(items)}; notifying failure (once, until it is fresh again)");
                if (!await _work.NotifyStaleAsync(config, source, items, now, _checks.Token))
                {
                    // "It did not run" must not be lost to a receiver that was down at that moment: the next
                    // check sends it again (to every entry: one that got it may get it twice).
                    watch.Alerted = false;
                    _log.Warn($"daemon: {source.YamlPath}: the stale notification was not delivered everywhere; trying again at the next check");
                }
            }
            else if (watch.Alerted && StaleWatch.AllFresh(rows))
            {
                watch.Alerted = false;
                _log.Info($"daemon: {source.YamlPath}: fresh again: every item has a backup within max_age");
            }
        }
        catch (OperationCanceledException) when (_checks.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _log.Warn($"daemon: {source.YamlPath}: cannot check max_age ({StageMessages.Describe(e)}); trying again at the next check");
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            Volatile.Read(ref _kick).TrySetResult();
        }
    }
}
