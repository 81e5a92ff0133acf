namespace Backup.Core.Pipeline;

/// <summary>Live byte counters of one artifact, read by the CLI's progress display from another thread.</summary>
public sealed class ArtifactProgress(string label)
{
    private long _raw;
    private long _stored;

    public string Label { get; } = label;

    /// <summary>The source and item, for structured log lines (the label joins them with a '/', which names may hold too).</summary>
    public string? Source { get; init; }

    /// <inheritdoc cref="Source"/>
    public string? Item { get; init; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public long RawBytes => Interlocked.Read(ref _raw);

    public long StoredBytes => Interlocked.Read(ref _stored);

    internal void AddRaw(long n) => Interlocked.Add(ref _raw, n);

    internal void AddStored(long n) => Interlocked.Add(ref _stored, n);
}
