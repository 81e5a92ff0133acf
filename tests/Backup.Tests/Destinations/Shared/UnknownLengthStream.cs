namespace Backup.Tests.Destinations;

/// <summary>
/// What a destination gets from the pipeline: read-only, not seekable, no length, arbitrary read sizes.
/// It can fail, or run a hook (cancel a token, stop a server), once a given number of bytes went by.
/// </summary>
public sealed class UnknownLengthStream(byte[] data, int chunkSize = 100_003) : Stream
{
    public const string FailureMessage = "simulated source failure";

    private int _position;
    private bool _hookRan;

    /// <summary>Throws an <see cref="IOException"/> once this many bytes have been read.</summary>
    public int? FailAt { get; init; }

    public int? HookAt { get; init; }

    public Func<Task>? Hook { get; init; }

    /// <summary>Pause before every read after the hook ran, to model a slow source.</summary>
    public TimeSpan DelayAfterHook { get; init; }

    /// <summary>The exception this stream threw, to check that callers rethrow the original.</summary>
    public IOException? Thrown { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException("unknown length");
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_hookRan && HookAt is { } hookAt && _position >= hookAt && Hook is not null)
        {
            _hookRan = true;
            await Hook();
        }

        if (_hookRan && DelayAfterHook > TimeSpan.Zero)
            await Task.Delay(DelayAfterHook, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return Next(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Next(Span<byte> buffer)
    {
        if (FailAt is { } failAt && _position >= failAt)
            throw Thrown = new IOException(FailureMessage);
        var end = Math.Min(data.Length, FailAt ?? int.MaxValue);
        if (HookAt is { } hookAt && !_hookRan && _position < hookAt)
            end = Math.Min(end, hookAt);
        var count = Math.Min(Math.Min(buffer.Length, chunkSize), end - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
