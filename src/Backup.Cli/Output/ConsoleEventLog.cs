using Backup.Core.Logging;

namespace Backup.Cli.Output;

/// <summary>Log lines on stderr (<see cref="Stderr"/>), with a UTC timestamp in text mode, so stdout stays clean for --json.</summary>
internal sealed class ConsoleEventLog : IEventLog
{
    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    private static void Write(string level, string message) =>
        Stderr.Write(level, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {level} {message}", message, []);
}
