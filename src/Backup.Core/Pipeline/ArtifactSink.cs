using Backup.Core.Destinations;

namespace Backup.Core.Pipeline;

/// <summary>
/// One place the finished stream goes: a destination and the key it is stored under there, and the
/// Object Lock it is stored with there (null: none), which its manifest gets too.
/// </summary>
public sealed record ArtifactSink(IDestination Destination, string Key, ObjectRetention? Retention = null)
{
    /// <summary>Create-only, locked when <see cref="Retention"/> says so.</summary>
    public Task<long> UploadNewAsync(string key, Stream content, CancellationToken ct) =>
        Retention is { } retention
            ? Destination.UploadNewAsync(key, content, retention, ct)
            : Destination.UploadNewAsync(key, content, ct);
}
