namespace Backup.Core.Pipeline;

/// <summary>
/// The last <see cref="Capacity"/> bytes of a stream shown to it chunk by chunk, and how many bytes it
/// saw: what a check of a dump's closing line needs, on a dump of any size, without buffering it.
/// </summary>
internal sealed class StreamTail(int capacity)
{
    private readonly byte[] _tail = new byte[capacity];
    private int _length;

    public int Capacity => capacity;

    public long BytesSeen { get; private set; }

    /// <summary>The bytes kept: the stream's last ones, all of them when it was shorter than the capacity.</summary>
    public ReadOnlySpan<byte> Bytes => _tail.AsSpan(0, _length);

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        BytesSeen += chunk.Length;
        if (chunk.Length >= capacity)
        {
            chunk[^capacity..].CopyTo(_tail);
            _length = capacity;
            return;
        }

        var keep = Math.Min(_length, capacity - chunk.Length);
        Buffer.BlockCopy(_tail, _length - keep, _tail, 0, keep);
        chunk.CopyTo(_tail.AsSpan(keep));
        _length = keep + chunk.Length;
    }
}
