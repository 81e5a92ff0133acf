namespace Backup.Core.Pipeline;

/// <summary>A pipeline stage failed; <see cref="Stage"/> names it (e.g. <c>tar</c>, <c>gpg</c>, <c>upload to s3-main</c>).</summary>
public sealed class StageFailedException(string stage, Exception cause)
    : BackupException($"{stage}: {StageMessages.WithoutRepeat(stage, StageMessages.Describe(cause))}", cause)
{
    public string Stage { get; } = stage;
}
