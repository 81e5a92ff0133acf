namespace Backup.IntegrationTests.PostgreSql;

/// <summary>An input that gives the first <paramref name="limit"/> bytes of <paramref name="content"/>, then fails as a broken download or decryption would.</summary>
public sealed class FailingAfter(byte[] content, int limit) : Stream
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= limit)
            throw new IOException("the download broke off");
        var n = Math.Min(count, limit - _position);
        Array.Copy(content, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
