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

    /// <summary>Every artifact whose key starts with <paramref name="prefix"/>.</summary>
    public async Task<CatalogListing> ReadPrefixAsync(string prefix, CancellationToken ct)
    {
        var objects = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var stored in destination.ListAsync(prefix, ct))
            // A run's lock lives beside the items it protects; it is neither a backup nor an orphan.
            if (!LockKeys.IsLockKey(stored.Key) && ArtifactNaming.IsLayoutKey(stored.Key, flat))
                objects[stored.Key] = stored.Size;

        var manifestKeys = objects.Keys.Where(k => k.EndsWith(Manifest.Suffix, StringComparison.Ordinal)).ToList();
        var entries = new ConcurrentBag<CatalogEntry>();
        var problems = new ConcurrentBag<CatalogProblem>();

        await Parallel.ForEachAsync(manifestKeys, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = ct },
            async (manifestKey, token) =>
            {
                var objectKey = manifestKey[..^Manifest.Suffix.Length];
                var read = await ReadManifestAsync(manifestKey, token);
                if (read.Problem is not null)
                    problems.Add(new CatalogProblem(destination.Name, manifestKey, read.Problem));
                else if ((flat ? ArtifactNaming.FileName(read.Manifest!.Key) : read.Manifest!.Key) != objectKey)
                    problems.Add(new CatalogProblem(destination.Name, manifestKey,
                        $"the manifest describes '{read.Manifest.Key}', not the object it lies beside; it was copied or moved by hand, so it is not used"));
                else if (!objects.ContainsKey(objectKey))
                    problems.Add(new CatalogProblem(destination.Name, objectKey,
                        "the manifest exists but the artifact object is missing; this backup cannot be restored"));
                else
                    entries.Add(new CatalogEntry(read.Manifest!, destination.Name, objectKey));
            });

        foreach (var key in objects.Keys)
        {
            if (key.EndsWith(Manifest.Suffix, StringComparison.Ordinal) || objects.ContainsKey(Manifest.KeyFor(key)))
                continue;
            var superseded = ArtifactNaming.StampOf(key) is { } stamp
                && entries.Any(e => SameItem(e.ObjectKey, key) && ArtifactStamp.Truncate(e.Created) > stamp);
            problems.Add(new CatalogProblem(destination.Name, key, superseded
                    ? "artifact has no manifest: left by an interrupted run, and a later backup of this item is complete; it is no backup (prune removes it)"
                    : "artifact has no manifest, and it is the newest of its item: the last run was interrupted after storing it (or the manifest was lost); run the backup again",
                Orphan: true, Superseded: superseded));
        }

        return new CatalogListing(
            entries.OrderBy(e => e.Created).ThenBy(e => e.Manifest.Chain?.Level ?? 0).ThenBy(e => e.ObjectKey, StringComparer.Ordinal).ToList(),
            problems.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
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
