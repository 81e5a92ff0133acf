using System.Text;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// Passes a dump through to <paramref name="inner"/> while remembering only its last bytes, so that the
/// end can be checked for mysqldump's completion line without holding the dump anywhere.
/// </summary>
internal sealed class DumpTrailerStream(Stream inner) : Stream
{
    // Generous: the trailer line is ~40 bytes, plus a newline or two.
    private const int TailSize = 512;
    private readonly byte[] _tail = new byte[TailSize];
    private int _tailLength;

    public long BytesWritten { get; private set; }

    /// <summary>True when the last non-empty line starts with <c>-- Dump completed</c>.</summary>
    public bool EndsWithTrailer
    {
        get
        {
            var text = Encoding.Latin1.GetString(_tail, 0, _tailLength).TrimEnd('\n', '\r', ' ');
            var lastLine = text[(text.LastIndexOf('\n') + 1)..];
            return lastLine.StartsWith(MySqlDumpArguments.CompletionTrailer, StringComparison.Ordinal);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Remember(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Remember(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    private void Remember(ReadOnlySpan<byte> chunk)
    {
        BytesWritten += chunk.Length;
        if (chunk.Length >= TailSize)
        {
            chunk[^TailSize..].CopyTo(_tail);
            _tailLength = TailSize;
            return;
        }

        var keep = Math.Min(_tailLength, TailSize - chunk.Length);
        Buffer.BlockCopy(_tail, _tailLength - keep, _tail, 0, keep);
        chunk.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + chunk.Length;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
