using Backup.Core.Logging;

namespace Backup.Cli.Output;

/// <summary>Log lines on stderr with a UTC timestamp, so stdout stays clean for --json.</summary>
internal sealed class ConsoleEventLog(ProgressDisplay? progress = null) : IEventLog
{
    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    private void Write(string level, string message)
    {
        var line = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {level} {message}";
        if (progress is not null)
            progress.WriteLine(line);
        else
            Console.Error.WriteLine(line);
    }
}
