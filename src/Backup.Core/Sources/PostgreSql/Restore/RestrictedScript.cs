using System.Text;
using System.Text.RegularExpressions;

namespace Backup.Core.Sources.PostgreSql.Restore;

/// <summary>
/// What a plain dump is read through on its way to psql, in both passes of a restore: it lets a script
/// through only when psql itself will refuse every backslash command in it. psql runs its own commands
/// (<c>\!</c> runs a shell command, <c>\o</c> writes files) wherever they stand, so a script in the store
/// that someone altered could act on the restoring host. pg_dump 17.6, 16.10, 15.14, 14.19, 13.22 and
/// later open every plain dump with <c>\restrict KEY</c>, after which psql runs no command but
/// <c>\unrestrict KEY</c>, which they write at its very end. So:
/// <list type="bullet">
/// <item>before anything else but blank and <c>--</c> comment lines, the script must say <c>\restrict KEY</c>;
/// an older dump, or one without that line, is refused (<c>--to-file</c> writes it out to be read and
/// applied by hand);</item>
/// <item><c>\unrestrict KEY</c>, with that key, anywhere else than in the script's closing lines is refused.
/// The key is random per dump, so no data holds it by chance; wherever it stands (psql reads commands in the
/// middle of a line too), what follows it is held back, and passed on at the end only when it is blank
/// and comment lines.</item>
/// </list>
/// A refusal is thrown from <see cref="Read(Span{byte})"/> before psql is given the bytes at issue; the
/// restore's input (<see cref="AbortingInput"/>) then stops psql, whose one transaction never commits.
/// </summary>
internal sealed partial class RestrictedScript(Stream inner) : Stream
{
    // pg_dump's header lines are short; a longer first line is no header of its.
    private const int MaxHeaderLine = 4096;

    // The closing lines after \unrestrict take a few bytes; more is not what pg_dump writes there.
    private const int MaxClosing = 4096;

    private readonly byte[] _readBuffer = new byte[1 << 16];

    // Bytes read but not yet judged.
    private readonly MemoryStream _pending = new();

    // Bytes judged and passed, not yet read: _ready[_offset.._readyLength].
    private byte[] _ready = [];
    private int _readyLength;
    private int _offset;

    private byte[]? _unrestrict;
    private bool _inClosing;
    private bool _ended;

    // The line the first pending byte is on.
    private long _line = 1;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        while (true)
        {
            var taken = TakeReady(destination);
            if (taken > 0 || _ended || destination.IsEmpty)
                return taken;
            Accept(_readBuffer.AsSpan(0, inner.Read(_readBuffer)));
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var taken = TakeReady(buffer.Span);
            if (taken > 0 || _ended || buffer.IsEmpty)
                return taken;
            Accept(_readBuffer.AsSpan(0, await inner.ReadAsync(_readBuffer, cancellationToken)));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int TakeReady(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _readyLength - _offset);
        _ready.AsSpan(_offset, n).CopyTo(destination);
        _offset += n;
        return n;
    }

    /// <summary>Judges what was read (<paramref name="chunk"/> empty: the end of the script) and passes what may be read.</summary>
    private void Accept(ReadOnlySpan<byte> chunk)
    {
        _pending.Write(chunk);
        _ended = chunk.IsEmpty;
        var pending = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        var passed = _unrestrict is null ? JudgeHeader(pending) : _inClosing ? JudgeClosing(pending, 0) : JudgeBody(pending, 0);

        // Called only once what was passed before has been read: the buffer is free to reuse.
        if (_ready.Length < passed)
            _ready = new byte[Math.Max(passed, _readBuffer.Length)];
        pending[..passed].CopyTo(_ready);
        (_readyLength, _offset) = (passed, 0);
        _line += pending[..passed].Count((byte)'\n');
        var rest = pending[passed..].ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
    }

    /// <summary>Blank and comment lines, then the <c>\restrict KEY</c> line: how many bytes may pass.</summary>
    private int JudgeHeader(ReadOnlySpan<byte> pending)
    {
        var start = 0;
        while (true)
        {
            var newline = pending[start..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (pending.Length - start > MaxHeaderLine || _ended)
                    throw Refused(LineAt(pending, start), NoRestrictLine);
                return start;
            }

            var line = Encoding.Latin1.GetString(pending.Slice(start, newline));
            if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal))
            {
                start += newline + 1;
                continue;
            }

            var match = RestrictLine().Match(line);
            if (!match.Success)
                throw Refused(LineAt(pending, start), NoRestrictLine);
            _unrestrict = Encoding.ASCII.GetBytes($"\\unrestrict {match.Groups[1].Value}");
            return JudgeBody(pending, start + newline + 1);
        }
    }

    /// <summary>From <paramref name="from"/> up to <c>\unrestrict KEY</c>; keeps back as many bytes as could begin it.</summary>
    private int JudgeBody(ReadOnlySpan<byte> pending, int from)
    {
        var at = pending[from..].IndexOf(_unrestrict);
        if (at >= 0)
        {
            _inClosing = true;
            return JudgeClosing(pending, from + at);
        }

        return _ended ? pending.Length : Math.Max(from, pending.Length - (_unrestrict!.Length - 1));
    }

    /// <summary>
    /// <c>\unrestrict KEY</c> at <paramref name="at"/> and what follows it: held until the end, then passed when
    /// the rest of its line and every line after it are blank or comments.
    /// </summary>
    private int JudgeClosing(ReadOnlySpan<byte> pending, int at)
    {
        if (pending.Length - at > MaxClosing)
            throw Refused(LineAt(pending, at), TextAfterUnrestrict);
        if (!_ended)
            return at;
        var lines = Encoding.Latin1.GetString(pending[(at + _unrestrict!.Length)..]).Split('\n');
        if (lines[0].Length != 0 || lines.Skip(1).Any(l => !(l.Length == 0 || l.StartsWith("--", StringComparison.Ordinal))))
            throw Refused(LineAt(pending, at), TextAfterUnrestrict);
        return pending.Length;
    }

    private long LineAt(ReadOnlySpan<byte> pending, int index) => _line + pending[..index].Count((byte)'\n');

    private const string NoRestrictLine =
        "it does not begin with the \\restrict line of pg_dump 17.6, 16.10, 15.14, 14.19, 13.22 or later, without which psql " +
        "would run any backslash command in it (\\! runs a shell command)";

    private const string TextAfterUnrestrict =
        "more than pg_dump's closing lines follow its \\unrestrict, after which psql would run backslash commands";

    private static BackupException Refused(long line, string reason) =>
        new($"line {line} of the SQL script: {reason}; the restore refuses it. If you trust the script, write it out with " +
            "--to-file, read it, and apply it with psql by hand");

    [GeneratedRegex(@"^\\restrict ([A-Za-z0-9]+)$")]
    private static partial Regex RestrictLine();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // The script's stream is its reader's to close.
        if (disposing)
            _pending.Dispose();

        base.Dispose(disposing);
    }
}
