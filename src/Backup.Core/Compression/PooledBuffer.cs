using System.Buffers;

namespace Backup.Core.Compression;

/// <summary>
/// A write-only, growable stream over pooled arrays: what one gzip member is compressed into, so that
/// chunk after chunk reuses the same few arrays instead of allocating large objects for the GC.
/// </summary>
internal sealed class PooledBuffer(int initialCapacity, ArrayPool<byte> pool) : Stream
{
    private byte[] _array = pool.Rent(initialCapacity);
    private int _length;

    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(GetSpan(buffer.Length));
        _length += buffer.Length;
    }

    /// <summary>Room for at least <paramref name="size"/> more bytes, to fill in place and then <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_length + size > _array.Length)
        {
            var larger = pool.Rent(Math.Max(_array.Length * 2, _length + size));
            _array.AsSpan(0, _length).CopyTo(larger);
            pool.Return(_array);
            _array = larger;
        }

        return _array.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _array.Length > 0)
        {
            pool.Return(_array);
            _array = [];
            _length = 0;
        }

        base.Dispose(disposing);
    }
}
