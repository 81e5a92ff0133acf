using System.Collections.Concurrent;
using Backup.Core.Destinations;
using Backup.Core.Locking;

namespace Backup.Core.Catalog;

/// <summary>
/// Reads what a destination holds from its manifests alone (no local state), so any host can list,
/// verify and restore what another one shipped. Broken things are collected as problems, never thrown:
/// one unreadable manifest must not hide every other backup.
/// Only keys of exactly our layout are read (<see cref="ArtifactNaming.IsLayoutKey"/>), and a manifest
/// counts only where it describes itself (its key is the one it lies under), so objects of another
/// destination under a nested prefix are never taken for this one's.
/// </summary>
/// <param name="flat">A source's <c>temp</c> folder: artifacts lie there by file name alone.</param>
public sealed class BackupCatalog(IDestination destination, bool flat = false)
{
    // Manifests are small; reading a few at once hides the round trip of an object store.
    private const int ParallelReads = 8;

    /// <summary>Every artifact of <paramref name="source"/> (and <paramref name="item"/>), or of all sources when null.</summary>
    public async Task<CatalogListing> ReadAsync(string? source, string? item, CancellationToken ct)
    {
        if (!flat)
            return await ReadPrefixAsync(source is null ? "" : ArtifactNaming.SourcePrefix(source, item), ct);
        // A flat folder holds every source's copies side by side: the manifests say whose they are.
        var all = await ReadPrefixAsync(item is null ? "" : ArtifactNaming.Safe(item) + "-", ct);
        return new CatalogListing(
            all.Entries.Where(e => (source is null || e.Source == source) && (item is null || e.Item == item)).ToList(), all.Problems);
    }

    /// <summary>Every artifact whose key starts with <paramref name="prefix"/>: one listing, then every manifest.</summary>
    public async Task<CatalogListing> ReadPrefixAsync(string prefix, CancellationToken ct) =>
        await ReadAllAsync(await IndexAsync(prefix, ct), ct);

    /// <summary>Every manifest of <paramref name="index"/> read (a few at once): its entries, and its problems with those of the manifests.</summary>
    public async Task<CatalogListing> ReadAllAsync(StoredKeys index, CancellationToken ct)
    {
        var entries = new ConcurrentBag<CatalogEntry>();
        var problems = new ConcurrentBag<CatalogProblem>(index.Problems);
        await Parallel.ForEachAsync(index.Complete, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = ct },
            async (key, token) =>
            {
                var (entry, problem) = await ReadEntryAsync(key, token);
                if (entry is not null)
                    entries.Add(entry);
                else
                    problems.Add(problem!);
            });
        return Listing(entries, problems);
    }

    /// <summary>
    /// What a restore or <c>verify --latest</c> needs of <paramref name="source"/> (one
    /// <paramref name="item"/>, or each of its items), at a cost that does not grow with history: one
    /// listing, then the manifests of the newest artifact at or before <paramref name="at"/> of each
    /// item and of the earlier links of its chain (the key tells time and level, so nothing else is
    /// read). A manifest that cannot be used is a problem and the next older artifact is tried. When an
    /// item has nothing at or before <paramref name="at"/>, its oldest entry is included, so the caller
    /// can say what there is. Orphans come from the listing alone. A flat <c>temp</c> folder (artifacts of
    /// every source side by side, told apart by their manifests) is read whole.
    /// </summary>
    public async Task<CatalogListing> ReadLatestAsync(string source, string? item, DateTimeOffset? at, CancellationToken ct)
    {
        if (flat)
        {
            var all = await ReadAsync(source, item, ct);
            var chosen = ArtifactSelection.Latest(all.Entries, source, item, at);
            return new CatalogListing(all.Entries.Where(e => chosen.Any(c => Links(all.Entries, c).Contains(e))).ToList(), all.Problems);
        }

        var index = await IndexAsync(ArtifactNaming.SourcePrefix(source, item), ct);
        var entries = new List<CatalogEntry>();
        var problems = new List<CatalogProblem>(index.Problems);
        foreach (var series in index.Complete.GroupBy(k => k[..ArtifactNaming.ItemPartLength(k)], StringComparer.Ordinal))
        {
            // Newest first, as ArtifactSelection orders them: by stamp, then level.
            var newestFirst = series.OrderByDescending(k => ArtifactNaming.StampOf(k)).ThenByDescending(ArtifactNaming.LevelOf).ToList();
            var chosen = await FirstUsableAsync(newestFirst.Where(k => at is null || ArtifactNaming.StampOf(k) <= at), source, problems, ct)
                         ?? await FirstUsableAsync(Enumerable.Reverse(newestFirst), source, problems, ct);
            if (chosen is null)
                continue;
            entries.Add(chosen);
            for (var link = chosen; link.Manifest.Chain is { Level: > 0, BaseKey: { } baseKey } && index.Complete.Contains(baseKey);)
            {
                var (entry, problem) = await ReadEntryAsync(baseKey, ct);
                if (entry is null)
                {
                    problems.Add(problem!);
                    break;
                }

                entries.Add(entry);
                link = entry;
            }
        }

        return Listing(entries, problems);
    }

    private static IReadOnlyList<CatalogEntry> Links(IReadOnlyList<CatalogEntry> entries, CatalogEntry chosen)
    {
        try
        {
            return ArtifactSelection.Resolve(entries, chosen).Links;
        }
        catch (BackupException)
        {
            return [chosen]; // the restore or verify reports the broken chain on this entry
        }
    }

    private async Task<CatalogEntry?> FirstUsableAsync(IEnumerable<string> keys, string source, List<CatalogProblem> problems, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            var (entry, problem) = await ReadEntryAsync(key, ct);
            if (problem is not null)
                problems.Add(problem);
            else if (entry!.Source == source)
                return entry;
        }

        return null;
    }

    private static CatalogListing Listing(IEnumerable<CatalogEntry> entries, IEnumerable<CatalogProblem> problems) => new(
        entries.OrderBy(e => e.Created).ThenBy(e => e.Manifest.Chain?.Level ?? 0).ThenBy(e => e.ObjectKey, StringComparer.Ordinal).ToList(),
        problems.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());

    /// <summary>
    /// One listing of <paramref name="prefix"/>, nothing read: the artifacts that have a manifest beside
    /// them, what the keys alone show is wrong (a manifest without its artifact, an artifact without its
    /// manifest), and the keys that are not ours (not of the layout, not a lock).
    /// </summary>
    public async Task<StoredKeys> IndexAsync(string prefix, CancellationToken ct)
    {
        var keys = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        var foreign = new List<StoredObject>();
        await foreach (var stored in destination.ListAsync(prefix, ct))
        {
            // A run's lock lives beside the items it protects; it is neither a backup nor an orphan.
            if (LockKeys.IsLockKey(stored.Key))
                continue;
            if (ArtifactNaming.IsLayoutKey(stored.Key, flat))
                keys[stored.Key] = stored;
            else
                foreign.Add(stored);
        }

        var complete = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<CatalogProblem>();
        foreach (var key in keys.Keys.Where(k => k.EndsWith(Manifest.Suffix, StringComparison.Ordinal)))
        {
            var artifact = key[..^Manifest.Suffix.Length];
            if (keys.ContainsKey(artifact))
                complete.Add(artifact);
            else
                problems.Add(new CatalogProblem(destination.Name, artifact,
                    "the manifest exists but the artifact object is missing; this backup cannot be restored"));
        }

        var orphans = new List<StoredObject>();
        foreach (var (key, stored) in keys)
        {
            if (key.EndsWith(Manifest.Suffix, StringComparison.Ordinal) || complete.Contains(key))
                continue;
            orphans.Add(stored);
            var superseded = ArtifactNaming.StampOf(key) is { } stamp
                && complete.Any(c => SameItem(c, key) && ArtifactNaming.StampOf(c) > stamp);
            problems.Add(new CatalogProblem(destination.Name, key, superseded
                    ? "artifact has no manifest: left by an interrupted run, and a later backup of this item is complete; it is no backup (prune removes it)"
                    : "artifact has no manifest, and it is the newest of its item: the last run was interrupted after storing it (or the manifest was lost); run the backup again",
                Orphan: true, Superseded: superseded));
        }

        return new StoredKeys(complete, orphans, foreign, problems);
    }

    /// <summary>Reads the manifest of <paramref name="objectKey"/>: the entry, or why it cannot be used.</summary>
    public async Task<(CatalogEntry? Entry, CatalogProblem? Problem)> ReadEntryAsync(string objectKey, CancellationToken ct)
    {
        var manifestKey = Manifest.KeyFor(objectKey);
        var read = await ReadManifestAsync(manifestKey, ct);
        if (read.Problem is not null)
            return (null, new CatalogProblem(destination.Name, manifestKey, read.Problem));
        if ((flat ? ArtifactNaming.FileName(read.Manifest!.Key) : read.Manifest!.Key) != objectKey)
            return (null, new CatalogProblem(destination.Name, manifestKey,
                $"the manifest describes '{read.Manifest.Key}', not the object it lies beside; it was copied or moved by hand, so it is not used"));
        return (new CatalogEntry(read.Manifest, destination.Name, objectKey), null);
    }

    /// <summary>Two keys of one item: the same folder and the same item name before the stamp.</summary>
    private static bool SameItem(string a, string b)
    {
        var length = ArtifactNaming.ItemPartLength(a);
        return length == ArtifactNaming.ItemPartLength(b) && string.CompareOrdinal(a, 0, b, 0, length) == 0;
    }

    private async Task<(Manifest? Manifest, string? Problem)> ReadManifestAsync(string manifestKey, CancellationToken ct)
    {
        byte[] json;
        try
        {
            await using var stream = await destination.OpenReadAsync(manifestKey, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            json = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or BackupException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the manifest: {e.Message}");
        }

        try
        {
            var manifest = Manifest.Parse(json, manifestKey);
            if (new[] { manifest.Source, manifest.Item, manifest.Key, manifest.Content, manifest.Compression, manifest.Encryption, manifest.Sha256 }
                .Any(string.IsNullOrEmpty))
                return (null, "not a valid manifest (a required field is empty)");
            if (manifest.Format > Manifest.CurrentFormat)
                return (null, $"manifest format {manifest.Format} is newer than this tool understands ({Manifest.CurrentFormat}); upgrade backup");
            return (manifest, null);
        }
        catch (BackupException e)
        {
            return (null, e.Message.StartsWith(manifestKey, StringComparison.Ordinal) ? e.Message[(manifestKey.Length + 2)..] : e.Message);
        }
    }
}
