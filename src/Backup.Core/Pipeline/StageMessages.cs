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

    /// <summary>
    /// A cause that starts by naming what the stage already names ("upload to s3-main" and
    /// "destinations.s3-main: cannot write ...") says it once: the repeated name is dropped.
    /// </summary>
    public static string WithoutRepeat(string stage, string cause)
    {
        var to = stage.LastIndexOf(" to ", StringComparison.Ordinal);
        if (to < 0)
            return cause;
        var subject = stage[(to + " to ".Length)..];
        foreach (var prefix in new[] { $"destinations.{subject}: ", $"{subject}: " })
            if (cause.StartsWith(prefix, StringComparison.Ordinal))
                return cause[prefix.Length..];
        return cause;
    }
}
