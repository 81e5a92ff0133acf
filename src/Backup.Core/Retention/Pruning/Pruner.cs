using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Pipeline;

namespace Backup.Core.Retention.Pruning;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to one source's artifacts in one destination (each item a
/// series of its own), and clears what killed runs left there. What it may delete, and how:
/// <list type="bullet">
/// <item>only artifacts whose manifest it has read and that describe themselves (the catalog's rule), of
/// this source; an artifact whose manifest cannot be used counts for nothing and is never deleted;</item>
/// <item>the manifest before its artifact, so a crash in between leaves an orphan, never a manifest
/// without bytes; deletions newest link first (<see cref="RetentionPlan.Deletions"/>), and once a link
/// could not be deleted, nothing older of its chain is;</item>
/// <item>orphans (our layout, no manifest) and incomplete uploads only once older than the grace
/// period by both their stamp and the store's date (one clock may be wrong), and never an orphan a
/// manifest names as its base;</item>
/// <item>nothing still under Object Lock (the manifest says until when; the store's refusal says so
/// too): kept and said, deleted by a prune after the date;</item>
/// <item>nothing of a series whose manifests name more than one host, unless told which host's to prune;</item>
/// <item>nothing else: objects under the prefix that are not of our layout are named, not touched.</item>
/// </list>
/// Every manifest of the series is read: each one it keeps or deletes must be proven ours and complete.
/// Once pruned, a series holds what its policy keeps, so that cost does not grow with history.
/// </summary>
public sealed class Pruner(IDestination destination, bool flat, IEventLog log, PruneOptions options)
{
    // Deletes in flight at once, and per batch (see Batches).
    private const int ParallelDeletes = 8;
    private const int BatchSize = 64;

    /// <summary>Prunes <paramref name="source"/> (only <paramref name="item"/> when given) in the destination.</summary>
    public async Task<PruneOutcome> PruneAsync(string source, string? item, RetentionPolicy policy, CancellationToken ct)
    {
        var catalog = new BackupCatalog(destination, flat);
        var prefix = flat ? (item is null ? "" : ArtifactNaming.Safe(item) + "-") : ArtifactNaming.SourcePrefix(source, item);
        var index = await catalog.IndexAsync(prefix, ct);
        var listing = await catalog.ReadAllAsync(index, ct);
        var entries = listing.Entries.Where(e => e.Source == source && (item is null || e.Item == item)).ToList();

        var lines = new List<PruneLine>();
        var refusals = new List<string>();
        var notes = new List<string>();
        foreach (var series in entries.GroupBy(e => e.Item, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var refusal = await PruneSeriesAsync(source, series.Key, series.ToList(), policy, lines, ct);
            if (refusal is not null)
                refusals.Add(refusal);
        }

        var bases = listing.Entries.Select(e => e.Manifest.Chain?.BaseKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (flat)
        {
            if (index.Orphans.Count > 0)
                notes.Add($"{index.Orphans.Count} orphan(s) in this folder are left: in a temp folder the file name does not say which source made them");
        }
        else
        {
            await ClearOrphansAsync(index.Orphans, bases, lines, ct);
            await AbortIncompleteUploadsAsync(prefix, lines, notes, ct);
        }

        var problems = listing.Problems.Where(p => !p.Orphan).Select(p => p.ToString()).ToList();
        return new PruneOutcome(destination.Name, source, lines, index.Foreign.Select(o => o.Key).ToList(), refusals, problems, notes);
    }

    /// <summary>One series: returns why it was refused, or null when it was pruned.</summary>
    private async Task<string?> PruneSeriesAsync(
        string source, string item, IReadOnlyList<CatalogEntry> series, RetentionPolicy policy, List<PruneLine> lines, CancellationToken ct)
    {
        var hosts = series.Select(e => e.Manifest.Host).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (options.Host is { } host)
            series = series.Where(e => e.Manifest.Host == host).ToList();
        else if (hosts.Count > 1)
        {
            var refused = $"{destination.Name}: {source}/{item} holds artifacts of {hosts.Count} hosts ({string.Join(", ", hosts)}): " +
                          "two hosts use one source name under one prefix, so this is not one history; nothing of it was pruned. " +
                          "Give each host its own prefix or source name, or prune one host's artifacts with --host NAME";
            log.Warn(refused);
            return refused;
        }

        if (series.Count == 0)
            return null;
        var plan = RetentionPlanner.Plan(policy, series.Select(SeriesArtifact.From).ToList());
        foreach (var decision in plan.Decisions.Where(d => d.Keep).Reverse())
            lines.Add(Say(new PruneLine("artifact", decision.Artifact.Entry!.ObjectKey, PruneAction.Keep, string.Join(", ", decision.Reasons))));

        // A link that stays (deleting it failed) needs every older link of its chain.
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in Batches(plan.Deletions.Select(d => d.Entry!)))
        {
            var results = new PruneLine[batch.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelDeletes, CancellationToken = ct },
                async (i, token) => results[i] = batch[i].Manifest.Chain is { } chain && held.Contains(chain.Id)
                    ? new PruneLine("artifact", batch[i].ObjectKey, PruneAction.Skipped, "a later link of its chain is still there")
                    : await DeleteArtifactAsync(batch[i], token));
            foreach (var (entry, line) in batch.Zip(results))
            {
                lines.Add(Say(line));
                if (line.Action is PruneAction.Failed or PruneAction.Skipped or PruneAction.Locked && entry.Manifest.Chain is { } chain)
                    held.Add(chain.Id);
            }
        }

        return null;
    }

    /// <summary>
    /// Deletions in their order, cut into batches that hold at most one link of any chain: a batch's
    /// deletes run at once (one at a time, 10,000 deletes took 10 minutes against s3rver), while a chain
    /// still goes newest link first, each link only once the one above it is gone.
    /// </summary>
    private static IEnumerable<List<CatalogEntry>> Batches(IEnumerable<CatalogEntry> ordered)
    {
        var batch = new List<CatalogEntry>();
        var chains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in ordered)
        {
            if (batch.Count == BatchSize || (entry.Manifest.Chain is { } chain && !chains.Add(chain.Id)))
            {
                yield return batch;
                batch = [];
                chains.Clear();
                if (entry.Manifest.Chain is { } first)
                    chains.Add(first.Id);
            }

            batch.Add(entry);
        }

        if (batch.Count > 0)
            yield return batch;
    }

    private async Task<PruneLine> DeleteArtifactAsync(CatalogEntry entry, CancellationToken ct)
    {
        const string why = "no rule keeps it";
        // The manifest records the lock the store holds (Object Lock): no request needed to know it.
        // A clock behind only postpones the delete to a later prune; one ahead gets the store's refusal.
        if (entry.Manifest.ObjectLock is { } lockRecord && lockRecord.RetainUntil > options.Now())
            return new PruneLine("artifact", entry.ObjectKey, PruneAction.Locked, LockedUntil(lockRecord.RetainUntil));
        if (options.DryRun)
            return new PruneLine("artifact", entry.ObjectKey, PruneAction.Delete, why);
        // The manifest first: a crash between the two leaves an orphan (bytes without a manifest, which
        // counts for nothing and the next prune clears), never a manifest without its bytes.
        return await AttemptAsync("artifact", entry.ObjectKey, why, async () =>
        {
            await destination.DeleteAsync(Manifest.KeyFor(entry.ObjectKey), ct);
            await destination.DeleteAsync(entry.ObjectKey, ct);
        }, ct);
    }

    /// <summary>
    /// One delete (or abort) as a line: done, kept by Object Lock (not a failure: a later prune takes it),
    /// or failed with the store's message. Cancellation is not caught.
    /// </summary>
    private static async Task<PruneLine> AttemptAsync(string kind, string key, string why, Func<Task> act, CancellationToken ct)
    {
        try
        {
            await act();
            return new PruneLine(kind, key, PruneAction.Deleted, why);
        }
        catch (ObjectLockedException e)
        {
            return new PruneLine(kind, key, PruneAction.Locked,
                e.RetainUntil is { } until ? LockedUntil(until) : e.LegalHold ? "under a legal hold: kept" : "locked: kept");
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            return new PruneLine(kind, key, PruneAction.Failed, StageMessages.Describe(e));
        }
    }

    private async Task ClearOrphansAsync(IReadOnlyList<StoredObject> orphans, IReadOnlySet<string> bases, List<PruneLine> lines, CancellationToken ct)
    {
        var now = options.Now();
        foreach (var orphan in orphans.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            // The later of the key's stamp and the store's date: a host clock running behind must not make work in flight look old.
            var since = Max(ArtifactNaming.StampOf(orphan.Key) ?? orphan.LastModified, orphan.LastModified);
            if (bases.Contains(orphan.Key))
                lines.Add(Say(new PruneLine("orphan", orphan.Key, PruneAction.Keep, "a manifest names it as the base of its chain; its own manifest is lost")));
            else if (now - since < options.Grace)
                lines.Add(Say(new PruneLine("orphan", orphan.Key, PruneAction.Keep, $"younger than the grace period of {DurationText.Format(options.Grace)}")));
            else if (options.DryRun)
                lines.Add(Say(new PruneLine("orphan", orphan.Key, PruneAction.Delete, "no manifest: left by an interrupted run")));
            else
                lines.Add(Say(await DeleteOrphanAsync(orphan.Key, ct)));
        }
    }

    private Task<PruneLine> DeleteOrphanAsync(string key, CancellationToken ct) =>
        AttemptAsync("orphan", key, "no manifest: left by an interrupted run", () => destination.DeleteAsync(key, ct), ct);

    private async Task AbortIncompleteUploadsAsync(string prefix, List<PruneLine> lines, List<string> notes, CancellationToken ct)
    {
        var now = options.Now();
        try
        {
            await foreach (var upload in destination.ListIncompleteUploadsAsync(prefix, ct))
            {
                if (!ArtifactNaming.IsLayoutKey(upload.Key, flat))
                    continue; // not ours: someone else's upload under the prefix
                var name = $"{upload.Key} (upload {upload.UploadId})";
                if (now - upload.Initiated < options.Grace)
                    lines.Add(Say(new PruneLine("upload", name, PruneAction.Keep, $"begun less than {DurationText.Format(options.Grace)} ago")));
                else if (options.DryRun)
                    lines.Add(Say(new PruneLine("upload", name, PruneAction.Delete, "never completed")));
                else
                    lines.Add(Say(await AbortAsync(upload, name, ct)));
            }
        }
        catch (NotSupportedException e)
        {
            notes.Add($"{destination.Name}: incomplete uploads were not looked for: {e.Message}");
        }
    }

    private Task<PruneLine> AbortAsync(IncompleteUpload upload, string name, CancellationToken ct) =>
        AttemptAsync("upload", name, "never completed: aborted", () => destination.AbortIncompleteUploadAsync(upload, ct), ct);

    private static string LockedUntil(DateTimeOffset until) =>
        $"no rule keeps it, but it is locked until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: kept; a prune after that deletes it";

    private PruneLine Say(PruneLine line)
    {
        if (line.Action is PruneAction.Keep && !options.LogKept)
            return line;
        if (line.Action is PruneAction.Failed)
            log.Warn($"{destination.Name}: {line}");
        else
            log.Info($"{destination.Name}: {line}");
        return line;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
