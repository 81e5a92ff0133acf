namespace Backup.Core.Metrics;

/// <summary>The newest good artifact of an item: when it was made (its key's stamp) and its sizes.</summary>
public sealed record StoredArtifactMetrics(DateTimeOffset Created, long StoredBytes, long RawBytes);
