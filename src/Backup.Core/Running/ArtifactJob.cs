using System.Diagnostics;
using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Retention;
using Backup.Core.Retention.Pruning;
using Backup.Core.Sources;

namespace Backup.Core.Running;

/// <summary>
/// Makes one artifact of a source: names it, streams it to every destination (and to <c>temp</c> when
/// the seed's rules keep a local copy), writes the manifests, and only then lets the item commit
/// its state (e.g. advance an incremental snapshot).
/// </summary>
internal sealed class ArtifactJob(
    SourceConfig source,
    ICompressor compressor,
    IEncryptor encryptor,
    EncryptionPreflight encryption,
    IReadOnlyList<IDestination> destinations,
    IComponents components,
    IEventLog log,
    Func<string?, RetentionPolicy?>? retentionFor = null)
{
    private static readonly string ToolVersion =
        typeof(ArtifactJob).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// A dry run of one item: the same read-only checks <see cref="RunAsync"/> makes before writing
    /// (so it fails where the run would, with the same report), then the key and sinks it would use.
    /// </summary>
    public async Task<ArtifactReport> PlanAsync(IBackupItem item, CancellationToken ct)
    {
        var (key, sinks) = Sinks(item, ArtifactStamp.Now());
        try
        {
            await item.CheckAsync(ct);
        }
        catch (Exception e)
        {
            return Failed(item, key, e, TimeSpan.Zero, ct);
        }

        return new ArtifactReport
        {
            Source = source.Name,
            Item = item.Name,
            Status = ArtifactStatus.Planned,
            Key = key,
            StoredIn = sinks.Select(s => s.Destination.Name).ToList(),
            Warnings = ReportWarnings(item),
        };
    }

    public async Task<ArtifactReport> RunAsync(IBackupItem item, IRunObserver observer, CancellationToken ct)
    {
        var created = ArtifactStamp.Now();
        var (key, sinks) = Sinks(item, created);
        var progress = new ArtifactProgress($"{source.Name}/{item.Name}") { Source = source.Name, Item = item.Name };
        var clock = Stopwatch.StartNew();
        observer.ArtifactStarted(progress);

        ArtifactReport report;
        try
        {
            await item.CheckAsync(ct);
            await RemoveLeftoversAsync(item, sinks, ct);
            var result = await ArtifactPipeline.RunAsync(item, compressor, encryptor, sinks, progress, ct);
            var manifest = NewManifest(item, key, created, result);
            await StoreManifestsAsync(sinks, manifest, ct);
            var stateError = await CommitAsync(item, key);
            // Only after a complete artifact: its manifest is written and its state advanced.
            var (pruned, pruneWarnings) = stateError is null ? await PruneAsync(item, sinks, ct) : ([], []);
            report = new ArtifactReport
            {
                Source = source.Name,
                Item = item.Name,
                Status = stateError is not null ? ArtifactStatus.StateNotAdvanced
                    : ReportWarnings(item).Count + pruneWarnings.Count > 0 ? ArtifactStatus.Warning : ArtifactStatus.Ok,
                Pruned = pruned,
                Error = stateError,
                Key = key,
                StoredIn = sinks.Select(s => s.Destination.Name).ToList(),
                RawSize = result.RawSize,
                StoredSize = result.StoredSize,
                Sha256 = result.Sha256,
                Seconds = clock.Elapsed.TotalSeconds,
                Warnings = [.. ReportWarnings(item), .. pruneWarnings],
            };
        }
        catch (Exception e)
        {
            // Whatever went wrong, this artifact failed and the run goes on with the others.
            await item.AbortAsync();
            report = Failed(item, key, e, clock.Elapsed, ct);
        }

        observer.ArtifactFinished(progress, report);
        return report;
    }

    /// <summary>The report of an item that failed (or was interrupted), logged once; a run and a dry run say the same.</summary>
    private ArtifactReport Failed(IBackupItem item, string key, Exception e, TimeSpan elapsed, CancellationToken ct)
    {
        var interrupted = ct.IsCancellationRequested;
        var message = interrupted ? "interrupted" : $"{source.YamlPath} {item.Name}: {WithoutSourcePath(StageMessages.Describe(e))}";
        if (!interrupted)
            log.Warn(message);
        return new ArtifactReport
        {
            Source = source.Name,
            Item = item.Name,
            Status = interrupted ? ArtifactStatus.Interrupted : ArtifactStatus.Failed,
            Key = key,
            Seconds = elapsed.TotalSeconds,
            Error = message,
            Warnings = ReportWarnings(item),
        };
    }

    /// <summary>A cause that starts with the source's YAML path, which the report's message names already, says it once.</summary>
    private string WithoutSourcePath(string cause) =>
        cause.StartsWith(source.YamlPath + ": ", StringComparison.Ordinal) ? cause[(source.YamlPath.Length + 2)..] : cause;

    /// <summary>
    /// The report's warnings: the encryption's (a key about to expire) for every artifact encrypted
    /// with it, then the item's own. The manifest keeps only the item's: they describe its content.
    /// </summary>
    private List<string> ReportWarnings(IBackupItem item) => [.. encryption.Warnings, .. item.Warnings];

    /// <summary>
    /// Removes what killed runs of this item left beside where it is about to be written (local
    /// <c>.partial</c> files whose process is gone): only names of this item's artifacts, never objects.
    /// </summary>
    private async Task RemoveLeftoversAsync(IBackupItem item, IReadOnlyList<ArtifactSink> sinks, CancellationToken ct)
    {
        foreach (var sink in sinks)
        {
            var prefix = sink.Key[..(sink.Key.LastIndexOf('/') + 1)] + ArtifactNaming.Safe(item.Name) + "-";
            foreach (var removed in await sink.Destination.RemoveLeftoversAsync(prefix, ct))
                log.Info($"{sink.Destination.Name}: removed '{removed}', left by an earlier run that did not finish");
        }
    }

    /// <summary>
    /// Applies the source's retention to this item's series in every place it was just stored (unless
    /// <c>prune: false</c>). The artifact is stored whatever happens here: a prune that fails or is
    /// interrupted is a warning, never a failed backup.
    /// </summary>
    private async Task<(List<string> Pruned, List<string> Warnings)> PruneAsync(IBackupItem item, IReadOnlyList<ArtifactSink> sinks, CancellationToken ct)
    {
        var pruned = new List<string>();
        var warnings = new List<string>();
        if (retentionFor is null || !source.Prune)
            return (pruned, warnings);
        foreach (var sink in sinks)
        {
            var flat = !sink.Key.Contains('/');
            if (retentionFor(flat ? null : sink.Destination.Name) is not { } policy)
                continue;
            try
            {
                var outcome = await new Pruner(sink.Destination, flat, log, new PruneOptions { LogKept = false })
                    .PruneAsync(source.Name, item.Name, policy, ct);
                pruned.AddRange(outcome.Lines.Where(l => l.Action is PruneAction.Deleted).Select(l => $"{sink.Destination.Name}: {l.Key}"));
                warnings.AddRange(outcome.Refusals);
                warnings.AddRange(outcome.Lines.Where(l => l.Action is PruneAction.Failed).Select(l => $"prune {sink.Destination.Name}: {l}"));
            }
            catch (Exception e)
            {
                var message = ct.IsCancellationRequested
                    ? $"{source.YamlPath} {item.Name}: prune in {sink.Destination.Name} interrupted; the artifact is stored"
                    : $"{source.YamlPath} {item.Name}: prune in {sink.Destination.Name} failed ({StageMessages.Describe(e)}); the artifact is stored";
                log.Warn(message);
                warnings.Add(message);
            }
        }

        return (pruned, warnings);
    }

    /// <summary>
    /// Lets the item advance its state now that the artifact and its manifest are stored everywhere.
    /// Not cancellable: the artifact is stored, so its state should follow. A failure here must not be
    /// reported as "nothing stored": returns the message for a <see cref="ArtifactStatus.StateNotAdvanced"/> report.
    /// </summary>
    private async Task<string?> CommitAsync(IBackupItem item, string key)
    {
        try
        {
            await item.CommitAsync(key, CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            // Whatever the cause, the artifact is stored: say so, drop the pending state, and let the
            // next run start from the state as it was.
            await item.AbortAsync();
            var message = $"{source.YamlPath} {item.Name}: stored as {key}, but its state could not be advanced ({StageMessages.Describe(e)}); the next run repeats this increment";
            log.Warn(message);
            return message;
        }
    }

    /// <summary>
    /// The seed's rules: every destination gets the artifact; <c>temp</c> gets it too when there is no
    /// destination or <c>cleanup: false</c>, written in the same pass.
    /// </summary>
    private (string Key, IReadOnlyList<ArtifactSink> Sinks) Sinks(IBackupItem item, DateTimeOffset created)
    {
        var extensions = item.Extension + compressor.Extension + encryptor.Extension;
        var key = ArtifactNaming.ArtifactKey(source.Name, item.Name, created, item.Chain, extensions);
        // Locked from the artifact's creation, so its manifest, stored later, is locked until the same date.
        var sinks = destinations.Select(d => new ArtifactSink(d, key, d.ObjectLock?.From(created))).ToList();
        if (sinks.Count == 0 || !source.Cleanup)
            sinks.Add(new ArtifactSink(components.LocalDirectory($"{source.YamlPath}.temp", source.Temp!), ArtifactNaming.FileName(key)));
        return (key, sinks);
    }

    private Manifest NewManifest(IBackupItem item, string key, DateTimeOffset created, ArtifactResult result) => new()
    {
        ToolVersion = ToolVersion,
        Source = source.Name,
        SourceKind = source.Kind,
        Item = item.Name,
        Key = key,
        Kind = item.Chain is null || item.Chain.Level == 0 ? "full" : "incremental",
        Created = created,
        Content = item.Extension.TrimStart('.'),
        Compression = compressor.Name,
        Encryption = encryptor.Extension.Length == 0 ? "none" : encryptor.Extension.TrimStart('.'),
        EncryptionKey = encryption.KeyFingerprint,
        StoredSize = result.StoredSize,
        Sha256 = result.Sha256,
        RawSize = result.RawSize,
        Chain = item.Chain,
        ArchiveTop = item.ArchiveTop,
        Completeness = item.Completeness,
        Host = Locking.LockSettings.HostName(),
        Warnings = item.Warnings.ToList(),
    };

    /// <summary>
    /// Writes the manifest beside each copy, create-only like the artifact. If any fails, the artifact
    /// copies are deleted (an artifact without its manifest would look stored but could not be listed
    /// or verified), and so are the manifests this run wrote; never one it did not write: a manifest that
    /// was already under the key (<see cref="ObjectExistsException"/>), or one of a sink not reached.
    /// Each copy's manifest records that copy's Object Lock and is locked as it is (copies that are
    /// locked cannot be deleted: they stay as orphans, which fail nothing, until their lock expires).
    /// </summary>
    private static async Task StoreManifestsAsync(IReadOnlyList<ArtifactSink> sinks, Manifest manifest, CancellationToken ct)
    {
        var attempted = 0;
        try
        {
            foreach (var sink in sinks)
            {
                attempted++;
                var json = (manifest with { ObjectLock = sink.Retention }).ToJson();
                await sink.UploadNewAsync(Manifest.KeyFor(sink.Key), new MemoryStream(json, writable: false), ct);
            }
        }
        catch (Exception e) when (e is BackupException or IOException or OperationCanceledException)
        {
            // A failed upload may still have been stored (an answer lost on the way back): this run's
            // own manifest, unless the failure said the key was taken.
            var ours = e is ObjectExistsException ? attempted - 1 : attempted;
            for (var i = 0; i < sinks.Count; i++)
            {
                try
                {
                    await sinks[i].Destination.DeleteAsync(sinks[i].Key, CancellationToken.None);
                    if (i < ours)
                        await sinks[i].Destination.DeleteAsync(Manifest.KeyFor(sinks[i].Key), CancellationToken.None);
                }
                catch (Exception cleanup) when (cleanup is BackupException or IOException)
                {
                    // The manifest is what makes an artifact count; without it this copy is inert.
                }
            }

            throw new BackupException($"writing the manifest failed: {e.Message}", e);
        }
    }
}
