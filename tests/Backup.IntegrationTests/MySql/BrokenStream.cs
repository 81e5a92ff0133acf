namespace Backup.IntegrationTests.MySql;

/// <summary>An output whose reader has gone away: every write fails, as a failed upload's pipe would.</summary>
public sealed class BrokenStream : Stream
{
    public override void Write(byte[] buffer, int offset, int count) => throw new IOException("the destination stopped reading");
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromException(new IOException("the destination stopped reading"));
    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
