using System.Text;

namespace Backup.Core.Hooks;

/// <summary>
/// A write-only stream that hands each line written to it to <paramref name="line"/>: a child's stdout
/// into the log. A line longer than <see cref="MaxLine"/> bytes is handed on in pieces; the last
/// unterminated line on <see cref="Flush"/> (which the process layer calls once, at the end).
/// </summary>
internal sealed class LogLines(Action<string> line) : Stream
{
    private const int MaxLine = 4096;
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var end = buffer.IndexOf((byte)'\n');
            var take = end < 0 ? buffer.Length : end;
            take = Math.Min(take, MaxLine - (int)_pending.Length);
            _pending.Write(buffer[..take]);
            buffer = buffer[take..];
            if (buffer.Length > 0 && buffer[0] == (byte)'\n')
            {
                buffer = buffer[1..];
                Emit();
            }
            else if (_pending.Length >= MaxLine)
            {
                Emit();
            }
        }
    }

    public override void Flush() => Emit();

    private void Emit()
    {
        var text = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
        _pending.SetLength(0);
        if (!string.IsNullOrWhiteSpace(text))
            line(text);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
