using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// The shared destination contract against a Ceph RADOS Gateway, sized as against s3rver: with 5 MiB
/// parts, 17 MiB is a four-part multipart upload, and a failure at 11 MiB happens while it is open.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephDestinationConformanceSpecs : DestinationConformanceSpecs, IDisposable
{
    private readonly S3Destination _destination;

    public CephDestinationConformanceSpecs(CephRgw gateway) =>
        // A fresh prefix per test keeps the shared bucket looking empty to each one.
        _destination = gateway.Destination(gateway.Config($"conformance/{Guid.NewGuid():N}"), new RecordingEventLog());

    protected override IDestination Destination => _destination;

    protected override int LargeSize => 17 * 1024 * 1024 + 12_345;

    protected override int FailureOffset => 11 * 1024 * 1024;

    public void Dispose() => _destination.Dispose();
}

/// <summary>
/// The shared contract in a bucket with Object Lock, from a destination with <c>object_lock</c>: the
/// conformance specs delete only what <c>UploadAsync</c> and the run lock write, which is never locked,
/// and there every version goes.
/// </summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephLockedBucketConformanceSpecs : DestinationConformanceSpecs, IDisposable
{
    private readonly S3Destination _destination;

    public CephLockedBucketConformanceSpecs(CephRgw gateway) =>
        _destination = gateway.Destination(gateway.Config($"conformance/{Guid.NewGuid():N}", bucket: CephRgw.LockedBucket) with
        {
            ObjectLock = new ObjectLockPolicy(ObjectLockMode.Governance, new Backup.Core.CalendarDuration { Days = 1 }),
        }, new RecordingEventLog());

    protected override IDestination Destination => _destination;

    // Ceph RGW 16 ignores If-None-Match in a versioned bucket (CephObjectLockSpecs): the probe must say so.
    protected override bool HonoursConditions => false;

    protected override int LargeSize => 17 * 1024 * 1024 + 12_345;

    protected override int FailureOffset => 11 * 1024 * 1024;

    public void Dispose() => _destination.Dispose();
}

/// <summary>The shared contract in a versioned bucket without Object Lock, from a destination without <c>object_lock</c>.</summary>
[Collection(CephRgwCollection.Name)]
public sealed class CephVersionedBucketConformanceSpecs : DestinationConformanceSpecs, IDisposable
{
    private readonly S3Destination _destination;

    public CephVersionedBucketConformanceSpecs(CephRgw gateway) =>
        _destination = gateway.Destination(gateway.Config($"conformance/{Guid.NewGuid():N}", bucket: CephRgw.VersionedBucket), new RecordingEventLog());

    protected override IDestination Destination => _destination;

    protected override bool HonoursConditions => false;

    protected override int LargeSize => 17 * 1024 * 1024 + 12_345;

    protected override int FailureOffset => 11 * 1024 * 1024;

    public void Dispose() => _destination.Dispose();
}
