using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary><c>object_lock</c> under an S3 destination (the bad forms are in <see cref="BadObjectLockConfigs"/>).</summary>
public sealed class ObjectLockConfigSpecs : IDisposable
{
    private readonly TempDir _tmp = new("object-lock-config");

    public void Dispose() => _tmp.Dispose();

    private S3DestinationConfig Vault(string objectLock) => (S3DestinationConfig)ConfigText.Parse($"""
        sources:
          directories:
            home: {"{"} path: /data, destination: vault {"}"}
        destinations:
          vault:
            method: s3
            S3_BUCKET: backups
            {objectLock}
        """, _tmp.Path).Destinations["vault"];

    [Theory]
    [InlineData("object_lock: { mode: governance, retain: 30d }", ObjectLockMode.Governance, "30d")]
    [InlineData("object_lock: { mode: compliance, retain: 1y6mo }", ObjectLockMode.Compliance, "1y6mo")]
    // As AWS spells the modes.
    [InlineData("object_lock: { mode: COMPLIANCE, retain: 1d }", ObjectLockMode.Compliance, "1d")]
    [InlineData("object_lock: { mode: Governance, retain: 24h }", ObjectLockMode.Governance, "24h")]
    public void An_object_lock_is_read_with_its_mode_and_retain(string yaml, ObjectLockMode mode, string retain) =>
        Assert.Equal(new ObjectLockPolicy(mode, CalendarDuration.TryParse(retain)!), Vault(yaml).ObjectLock);

    [Fact]
    public void Without_object_lock_nothing_is_locked() => Assert.Null(Vault("prefix: x").ObjectLock);

    [Theory]
    [InlineData("30d", "2026-11-20T02:00:00Z", "2026-12-20T02:00:00Z")]
    [InlineData("1mo", "2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z")]
    [InlineData("1y", "2024-02-29T00:00:00Z", "2025-02-28T00:00:00Z")]
    [InlineData("1d12h", "2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z")]
    public void A_lock_runs_from_the_artifacts_creation_for_retain_counted_in_UTC(string retain, string created, string until)
    {
        var policy = new ObjectLockPolicy(ObjectLockMode.Governance, CalendarDuration.TryParse(retain)!);

        var retention = policy.From(DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new ObjectRetention(ObjectLockMode.Governance, DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture)), retention);
        Assert.Equal(TimeSpan.Zero, retention.RetainUntil.Offset);
    }
}
