using System.Collections.Concurrent;
using Backup.Core.Logging;

namespace Backup.IntegrationTests.MySql;

/// <summary>Keeps every log line so that specs can look for warnings (and for leaks).</summary>
public sealed class RecordingEventLog : IEventLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public IReadOnlyList<string> Warnings => _lines.Where(l => l.StartsWith("warn: ", StringComparison.Ordinal)).Select(l => l[6..]).ToArray();

    public void Info(string message) => _lines.Enqueue("info: " + message);

    public void Warn(string message) => _lines.Enqueue("warn: " + message);
}
