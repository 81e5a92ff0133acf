namespace Backup.Core;

/// <summary>
/// An expected failure with a message for the user: it names the place (source, item, stage) and the
/// cause, and never carries a secret. Anything else reaching the CLI is a bug.
/// </summary>
public class BackupException(string message, Exception? inner = null) : Exception(message, inner);
