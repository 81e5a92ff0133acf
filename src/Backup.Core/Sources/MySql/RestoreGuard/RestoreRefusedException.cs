namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// A database restore stopped before a statement that would leave its database (or that cannot be
/// checked) reached the server. <see cref="Line"/> is the dump's line the statement is on.
/// </summary>
public sealed class RestoreRefusedException(long line, string reason)
    : BackupException($"line {line} of the dump: {reason}")
{
    public long Line { get; } = line;

    public string Reason { get; } = reason;
}
