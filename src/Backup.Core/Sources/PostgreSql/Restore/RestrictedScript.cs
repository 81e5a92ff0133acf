using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.PostgreSql.Restore;

/// <summary>
/// What a plain dump is read through on its way to psql, in both passes of a restore, so that psql runs
/// none of its own commands from it. psql runs backslash commands (<c>\!</c> runs a shell command,
/// <c>\o</c> writes files) wherever they stand, so a script altered in the store could act on the
/// restoring host. psql's restricted mode refuses every one of them but <c>\unrestrict KEY</c>; pg_dump
/// 17.6, 16.10, 15.14, 14.19, 13.22 and later open a plain dump with <c>\restrict KEY</c> and close it
/// with <c>\unrestrict KEY</c>. But the key is in the script, and psql reads it the way it reads any
/// option (quoted, after tabs, ...), so the script's own key is not trusted:
/// <list type="bullet">
/// <item>psql is given <c>\restrict</c> with a fresh random key first, before any byte of the script; the
/// script's own <c>\restrict KEY</c>, its first line that is not blank or a <c>--</c> comment, is left
/// out (so a dump without one, made by an older pg_dump, is restorable in restricted mode too);</item>
/// <item>the bytes <c>\unrestrict</c> anywhere but in the script's own closing line (exactly
/// <c>\unrestrict KEY</c> with its key, at the start of a line, followed only by blank and comment lines,
/// and left out too) make the script refused, before psql is given them. Text that merely quotes the
/// command is refused with it: <c>--to-file</c> writes such a script out to be read and applied by hand.</item>
/// </list>
/// A refusal is thrown from <c>Read</c> before psql is given the bytes at issue; the restore's input
/// (<see cref="AbortingInput"/>) then stops psql, whose one transaction never commits.
/// <see cref="PassedCommit"/> tells whether psql was given a line of the script's own that ends a
/// transaction (pg_dump wraps large objects in <c>BEGIN;</c> ... <c>COMMIT;</c>), after which the import is
/// no longer all or nothing.
/// </summary>
internal sealed partial class RestrictedScript(Stream inner) : ReadOnlyStream
{
    // pg_dump's header lines are short; a longer first line is no header of its.
    private const int MaxHeaderLine = 4096;

    // pg_dump's closing lines after \unrestrict take a few bytes; more is not what it writes there.
    private const int MaxClosing = 4096;

    private static readonly byte[] Unrestrict = "\\unrestrict"u8.ToArray();


    private readonly byte[] _readBuffer = new byte[1 << 16];

    // Bytes read but not yet judged.
    private readonly MemoryStream _pending = new();

    // What psql may read: _given[_offset.._given.Length], refilled only once it has all been read.
    private readonly MemoryStream _given = new();
    private int _offset;

    private BackupException? _refusal;
    private bool _opened;
    private bool _headerDone;
    private string? _ownKey;
    private bool _inClosing;
    private bool _ended;

    // The line of the script the first pending byte is on, and the byte before it ('\n' at the start).
    private long _line = 1;
    private byte _previous = (byte)'\n';

    // The last bytes given to psql, to find a COMMIT line that begins in one read and ends in the next.
    // As long as a transaction's end line can be indented and spelled before its keyword is whole.
    private readonly byte[] _givenTail = new byte[64];

    /// <summary>
    /// psql was given a line of the script that starts with COMMIT, ROLLBACK or ABORT, in any case: it
    /// ends psql's one transaction, and what follows commits on its own. Data or a procedure body with
    /// such a line makes it true too, which only makes a failed import's report more cautious. (END, which
    /// ends a transaction too, is left out: every PL/pgSQL body has lines that start with it.)
    /// </summary>
    public bool PassedCommit { get; private set; }

    public override int Read(Span<byte> destination)
    {
        while (true)
        {
            if (_refusal is not null)
                throw _refusal;
            var taken = TakeGiven(destination);
            if (taken > 0 || _ended || destination.IsEmpty)
                return taken;
            Accept(_readBuffer.AsSpan(0, inner.Read(_readBuffer)));
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_refusal is not null)
                throw _refusal;
            var taken = TakeGiven(buffer.Span);
            if (taken > 0 || _ended || buffer.IsEmpty)
                return taken;
            Accept(_readBuffer.AsSpan(0, await inner.ReadAsync(_readBuffer, cancellationToken)));
        }
    }

    private int TakeGiven(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, (int)_given.Length - _offset);
        _given.GetBuffer().AsSpan(_offset, n).CopyTo(destination);
        _offset += n;
        return n;
    }

    /// <summary>Judges what was read (<paramref name="chunk"/> empty: the end of the script) and gives psql what may pass.</summary>
    private void Accept(ReadOnlySpan<byte> chunk)
    {
        try
        {
            Judge(chunk);
        }
        catch (BackupException e)
        {
            // Sticky: a later read must not take what is left for a clean end.
            _refusal = e;
            _given.SetLength(0);
            throw;
        }
    }

    private void Judge(ReadOnlySpan<byte> chunk)
    {
        // psql reads a line up to its first NUL and drops the rest of it, newline included, so the next
        // line is joined on: "\unres" NUL "\n" "trict" would reach it as one command. pg_dump writes no NUL.
        if (chunk.IndexOf((byte)0) is var nul and >= 0)
            throw Refused(LineAt(_pending.GetBuffer().AsSpan(0, (int)_pending.Length), (int)_pending.Length) + chunk[..nul].Count((byte)'\n'),
                "a NUL byte, with which psql drops the rest of its line and joins the next one on");
        _pending.Write(chunk);
        _ended = chunk.IsEmpty;
        _given.SetLength(0);
        _offset = 0;
        if (!_opened)
        {
            // Our \restrict before any byte of the script.
            _given.Write(Encoding.ASCII.GetBytes($"\\restrict {FreshKey()}\n"));
            _opened = true;
        }

        var pending = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        var consumed = !_headerDone ? JudgeHeader(pending) : _inClosing ? JudgeClosing(pending, 0) : JudgeBody(pending, 0);
        NoteCommit();

        if (consumed > 0)
        {
            _line += pending[..consumed].Count((byte)'\n');
            _previous = pending[consumed - 1];
        }

        var rest = pending[consumed..].ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
    }

    /// <summary>
    /// Blank and comment lines, then the first other line: the script's own <c>\restrict KEY</c>, left out,
    /// or the first line of a script without one. Returns how many pending bytes were judged.
    /// </summary>
    private int JudgeHeader(ReadOnlySpan<byte> pending)
    {
        var start = 0;
        while (true)
        {
            var newline = pending[start..].IndexOf((byte)'\n');
            if (newline < 0 && pending.Length - start <= MaxHeaderLine && !_ended)
            {
                _given.Write(pending[..start]);
                return start;
            }

            var lineEnd = newline < 0 ? pending.Length : start + newline;
            var line = Encoding.Latin1.GetString(pending[start..lineEnd]);
            if (newline >= 0 && (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal)))
            {
                start = lineEnd + 1;
                continue;
            }

            _headerDone = true;
            _given.Write(pending[..start]);
            if (newline >= 0 && RestrictLine().Match(line) is { Success: true } own)
            {
                _ownKey = own.Groups[1].Value;
                return JudgeBody(pending, lineEnd + 1);
            }

            return JudgeBody(pending, start);
        }
    }

    /// <summary>From <paramref name="from"/> up to <c>\unrestrict</c>; keeps back as many bytes as could begin it.</summary>
    private int JudgeBody(ReadOnlySpan<byte> pending, int from)
    {
        var at = pending[from..].IndexOf(Unrestrict);
        if (at < 0)
        {
            var judged = _ended ? pending.Length : Math.Max(from, pending.Length - (Unrestrict.Length - 1));
            _given.Write(pending[from..judged]);
            return judged;
        }

        at += from;
        var atLineStart = (at > 0 ? pending[at - 1] : _previous) == '\n';
        if (_ownKey is null || !atLineStart)
            throw Refused(LineAt(pending, at), Misplaced);
        _given.Write(pending[from..at]);
        _inClosing = true;
        return JudgeClosing(pending, at);
    }

    /// <summary>
    /// The script's own closing line at <paramref name="at"/> and what follows it: held until the end; then
    /// the line is left out when it is exactly <c>\unrestrict KEY</c> and only blank and comment lines follow.
    /// </summary>
    private int JudgeClosing(ReadOnlySpan<byte> pending, int at)
    {
        if (pending.Length - at > MaxClosing)
            throw Refused(LineAt(pending, at), Misplaced);
        if (!_ended)
            return at;
        var lines = Encoding.Latin1.GetString(pending[at..]).Split('\n');
        if (lines[0] != $"\\unrestrict {_ownKey}" || lines.Skip(1).Any(l => !(l.Length == 0 || l.StartsWith("--", StringComparison.Ordinal))))
            throw Refused(LineAt(pending, at), Misplaced);
        // The comments after it pass: pg_dumpall writes its completion line there.
        _given.Write(pending[Math.Min(pending.Length, at + lines[0].Length + 1)..]);
        return pending.Length;
    }

    private void NoteCommit()
    {
        var given = _given.GetBuffer().AsSpan(0, (int)_given.Length);
        if (PassedCommit || given.IsEmpty)
            return;
        var window = new byte[_givenTail.Length + given.Length];
        _givenTail.CopyTo(window, 0);
        given.CopyTo(window.AsSpan(_givenTail.Length));
        PassedCommit = TransactionEnd().IsMatch(Encoding.Latin1.GetString(window));
        window.AsSpan(window.Length - _givenTail.Length).CopyTo(_givenTail);
    }

    private long LineAt(ReadOnlySpan<byte> pending, int index) => _line + pending[..index].Count((byte)'\n');

    /// <summary>A key no script can know: 32 letters and digits from a CSPRNG.</summary>
    private static string FreshKey() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    private const string Misplaced =
        "'\\unrestrict' other than as the script's own closing line, which would let psql run backslash commands " +
        "(\\! runs a shell command)";

    private static BackupException Refused(long line, string reason) =>
        new($"line {line} of the SQL script: {reason}; the restore refuses it. If you trust the script, write it out with " +
            "--to-file, read it, and apply it with psql by hand");

    [GeneratedRegex(@"^\\restrict ([A-Za-z0-9]+)$")]
    private static partial Regex RestrictLine();

    [GeneratedRegex(@"\n[ \t]*(COMMIT|ROLLBACK|ABORT)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionEnd();

    protected override void Dispose(bool disposing)
    {
        // The script's stream is its reader's to close.
        if (disposing)
        {
            _pending.Dispose();
            _given.Dispose();
        }

        base.Dispose(disposing);
    }
}
