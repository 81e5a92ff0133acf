namespace Backup.Core.Processes;

/// <summary>Keeps the last few stderr lines of a child: enough for a message, bounded in memory.</summary>
internal sealed class StderrTail
{
    private const int MaxLines = 8;
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            if (string.IsNullOrWhiteSpace(line))
                return;
            _lines.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
            while (_lines.Count > MaxLines)
                _lines.Dequeue();
        }
    }

    public string Text
    {
        get
        {
            lock (_lines)
                return string.Join(" | ", _lines);
        }
    }
}
