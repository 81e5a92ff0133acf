using System.Text;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// Whether a dump ends with mysqldump's completion line (<see cref="MySqlDumpArguments.CompletionTrailer"/>):
/// a dump cut short by a crash, a kill or a lost connection lacks it even when every byte it did write
/// arrived. Shown the dump chunk by chunk, it keeps only the end, so it works on any size. Used when a
/// dump is made and when a stored one is verified.
/// </summary>
internal sealed class DumpTrailer
{
    // Generous: the line is about 40 bytes, plus a newline or two.
    private readonly StreamTail _tail = new(512);

    public long BytesSeen => _tail.BytesSeen;

    /// <summary>True when the last non-blank line starts with the completion comment.</summary>
    public bool IsComplete
    {
        get
        {
            var text = Encoding.Latin1.GetString(_tail.Bytes).TrimEnd('\n', '\r', ' ');
            var lastLine = text[(text.LastIndexOf('\n') + 1)..];
            return lastLine.StartsWith(MySqlDumpArguments.CompletionTrailer, StringComparison.Ordinal);
        }
    }

    public void Observe(ReadOnlySpan<byte> chunk) => _tail.Observe(chunk);
}
