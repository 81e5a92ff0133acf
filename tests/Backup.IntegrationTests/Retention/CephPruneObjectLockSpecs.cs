using System.Security.Cryptography;
using Amazon.S3.Model;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Retention;
using Backup.Core.Retention.Pruning;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;
using ObjectLockMode = Backup.Core.Destinations.ObjectLockMode;

namespace Backup.IntegrationTests.Retention;

/// <summary>
/// Prune and Object Lock on the Ceph gateway, which enforces locks: what no rule keeps but is locked is
/// kept and said (from its manifest, or from the store's refusal when the manifest does not say), and a
/// prune after the lock has expired deletes it, every version.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephPruneObjectLockSpecs(CephRgw gateway) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy KeepLast1 = new() { KeepLast = 1, TimeZone = TimeZoneInfo.Utc };

    private static string NewPrefix() => $"prune-lock-{Guid.NewGuid():N}";

    private readonly S3Destination _destination = gateway.Destination(
        gateway.Config(NewPrefix(), bucket: CephRgw.LockedBucket) with
        {
            Name = "vault",
            ObjectLock = new ObjectLockPolicy(ObjectLockMode.Governance, new CalendarDuration { Days = 1 }),
        },
        IEventLog.Null);

    public void Dispose() => _destination.Dispose();

    private async Task<string> StoreAsync(int day, ObjectRetention retention, bool recordLock)
    {
        var bytes = "-- MariaDB dump\n-- Dump completed\n"u8.ToArray();
        var created = T0.AddDays(day);
        var key = ArtifactNaming.ArtifactKey("prod", "shop", created, null, ".sql");
        var manifest = new Manifest
        {
            ToolVersion = "spec", Source = "prod", SourceKind = "mysqldump", Item = "shop", Key = key, Kind = "full",
            Created = created, Content = "sql", Compression = "none", Encryption = "none",
            StoredSize = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), RawSize = bytes.Length,
            ObjectLock = recordLock ? retention : null,
        };
        await _destination.UploadNewAsync(key, new UnknownLengthStream(bytes), retention, CancellationToken.None);
        await _destination.UploadNewAsync(Manifest.KeyFor(key), new UnknownLengthStream(manifest.ToJson()), retention, CancellationToken.None);
        return key;
    }

    private Task<PruneOutcome> PruneAsync() =>
        new Pruner(_destination, flat: false, IEventLog.Null, new PruneOptions()).PruneAsync("prod", "shop", KeepLast1, CancellationToken.None);

    private async Task<bool> StoredAsync(string key) =>
        await _destination.ListAsync(key, CancellationToken.None).AnyAsync(o => o.Key == key);

    [Theory]
    [InlineData(true)]   // the manifest says until when: no delete is even tried
    [InlineData(false)]  // it does not (a clock, a hand-made manifest): the store's refusal says it
    public async Task A_locked_artifact_no_rule_keeps_is_kept_until_its_lock_expires_and_then_goes_with_every_version(bool recordLock)
    {
        // Far longer than the setup and a prune take (milliseconds), short enough to wait for; the check
        // after the first prune makes a setup slower than the lock say so instead of passing by chance.
        var retention = new ObjectRetention(ObjectLockMode.Governance, DateTimeOffset.UtcNow.AddSeconds(30));
        var old = await StoreAsync(0, retention, recordLock);
        var newest = await StoreAsync(1, retention, recordLock);

        var locked = await PruneAsync();
        Assert.True(DateTimeOffset.UtcNow < retention.RetainUntil, "the setup and first prune took longer than the lock lasts");

        var line = Assert.Single(locked.Lines, l => l.Key == old);
        Assert.Equal(PruneAction.Locked, line.Action);
        Assert.Contains($"locked until {retention.RetainUntil.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: kept", line.Why);
        Assert.False(locked.Failed);
        Assert.True(await StoredAsync(old) && await StoredAsync(Manifest.KeyFor(old)));

        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > retention.RetainUntil.AddSeconds(1), "the lock to expire");
        var expired = await Poll.ForAsync(async () =>
        {
            var outcome = await PruneAsync();
            return outcome.Lines.Any(l => l.Key == old && l.Action == PruneAction.Deleted) ? outcome : null;
        }, "a prune after the lock expired to delete the artifact");

        Assert.False(expired.Failed);
        Assert.True(await StoredAsync(newest));
        using var client = gateway.Client();
        var versions = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = CephRgw.LockedBucket, Prefix = "prune-lock-" });
        Assert.DoesNotContain(versions.Versions ?? [], v => v.Key.EndsWith(old, StringComparison.Ordinal) || v.Key.EndsWith(Manifest.KeyFor(old), StringComparison.Ordinal));
    }
}
