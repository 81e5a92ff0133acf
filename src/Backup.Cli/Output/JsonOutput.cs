using Backup.Core.Running;

namespace Backup.Cli.Output;

/// <summary>How every --json report reaches stdout (written as <see cref="ReportJson"/> writes them).</summary>
internal static class JsonOutput
{
    /// <summary>
    /// Writes the report to stdout. Returns false (after saying so on stderr) when stdout cannot take it
    /// (closed, as some wrappers leave it, or a reader gone): the work is done either way, so the
    /// command's exit code stays that of its work, not of its output.
    /// </summary>
    public static bool Write<T>(T value)
    {
        try
        {
            Console.Out.WriteLine(ReportJson.Serialize(value));
            Console.Out.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A closed stdout (EBADF) surfaces as UnauthorizedAccessException, a gone reader as IOException.
            Stderr.Warn($"warning: the --json report could not be written to standard output ({e.Message}); the run's outcome is unchanged");
            return false;
        }
    }
}
