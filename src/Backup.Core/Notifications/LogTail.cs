using Backup.Core.Logging;

namespace Backup.Core.Notifications;

/// <summary>
/// Passes every line on to the real log and keeps the last ones, stamped as the CLI stamps them, so a
/// notification can attach what the run said (healthchecks shows them with the ping).
/// </summary>
public sealed class LogTail(IEventLog inner, int capacity = 200) : IEventLog
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Info(string message)
    {
        inner.Info(message);
        Keep("info", message);
    }

    public void Warn(string message)
    {
        inner.Warn(message);
        Keep("warn", message);
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
                return _lines.ToList();
        }
    }

    private void Keep(string level, string message)
    {
        lock (_gate)
        {
            _lines.Enqueue($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {level} {message}");
            while (_lines.Count > capacity)
                _lines.Dequeue();
        }
    }
}
