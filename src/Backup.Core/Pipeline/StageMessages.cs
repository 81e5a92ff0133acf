namespace Backup.Core.Pipeline;

internal static class StageMessages
{
    /// <summary>
    /// A one-line cause for the user. Expected failures carry their own message; anything else gets
    /// its type too, since its message alone may not say what broke.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        BackupException => e.Message,
        IOException or UnauthorizedAccessException or InvalidDataException => e.Message,
        OperationCanceledException => "cancelled",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
