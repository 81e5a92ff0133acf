namespace Backup.Core;

/// <summary>
/// A request that cannot be carried out as given (a target that is a symbolic link or a device, a
/// folder that does not exist), found before anything was done: the CLI exits with its usage-error
/// code (2), like a mistyped option. The message says what to do instead.
/// </summary>
public sealed class UsageException(string message) : BackupException(message);
