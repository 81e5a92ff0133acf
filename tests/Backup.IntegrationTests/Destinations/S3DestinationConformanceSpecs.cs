using Backup.Core.Destinations;
using Backup.IntegrationTests.Support;
using Backup.Tests.Destinations;

namespace Backup.IntegrationTests.Destinations;

/// <summary>
/// The shared destination contract against a real S3 server. With 5 MiB parts, 17 MiB of data is a
/// four-part multipart upload, and a source failing at 11 MiB does so while that upload is open.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3DestinationConformanceSpecs : DestinationConformanceSpecs, IDisposable
{
    private readonly S3Destination _destination;

    public S3DestinationConformanceSpecs(S3Server server) =>
        // A fresh prefix per test keeps the shared bucket looking empty to each one.
        _destination = server.Destination(server.Config($"conformance/{Guid.NewGuid():N}"), new RecordingEventLog());

    protected override IDestination Destination => _destination;

    protected override int LargeSize => 17 * 1024 * 1024 + 12_345;

    protected override int FailureOffset => 11 * 1024 * 1024;

    // s3rver accepts If-None-Match and If-Match and writes anyway.
    protected override bool HonoursConditions => false;

    public void Dispose() => _destination.Dispose();
}
