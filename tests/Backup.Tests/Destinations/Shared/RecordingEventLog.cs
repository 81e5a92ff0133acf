using System.Collections.Concurrent;
using Backup.Core.Logging;

namespace Backup.Tests.Destinations;

/// <summary>Keeps every log line so specs can check what an operator would see.</summary>
public sealed class RecordingEventLog : IEventLog
{
    private readonly ConcurrentQueue<string> _infos = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyList<string> Infos => [.. _infos];

    public IReadOnlyList<string> Warnings => [.. _warnings];

    public void Info(string message) => _infos.Enqueue(message);

    public void Warn(string message) => _warnings.Enqueue(message);
}
