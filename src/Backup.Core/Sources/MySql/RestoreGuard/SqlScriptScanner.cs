using System.Buffers;
using System.Text;

namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// Splits a SQL dump into tokens and statements the way <c>mysql --binary-mode</c> and the server
/// read it together: the client cuts the stream into queries at its delimiter (changed by
/// <c>DELIMITER</c> lines), strips <c>#</c>, <c>-- </c> and <c>/* */</c> comments and runs its own
/// <c>\</c> commands; the server splits each query again at every <c>;</c> (multi-statements),
/// runs the content of <c>/*! */</c> and <c>/*M! */</c> comments, and reads strings by the session's
/// sql_mode (ANSI_QUOTES, NO_BACKSLASH_ESCAPES). Wherever the two (or MariaDB's and MySQL's client)
/// could read the same bytes differently, the scanner refuses instead of guessing: a statement cut by
/// a delimiter inside a <c>/*! */</c> comment, <c>*/</c> inside a string there, <c>--</c> followed by a
/// control character, a NUL byte, a client command other than MariaDB's sandbox <c>\-</c>.
/// Fed in chunks: it stops before any construct it cannot decide yet and is fed that rest again.
/// </summary>
internal sealed class SqlScriptScanner(ISqlScriptSink sink)
{
    private const int MaxTokenText = 1024;

    // DELIMITER and charset lines are read whole; a longer one is no dump of ours.
    private const int MaxCommandLine = 4096;

    private enum State { Code, Quoted, BlockComment, LineComment }

    private enum ClientBuffer { Empty, HintOnly, Content }

    private State _state = State.Code;
    private ClientBuffer _clientBuffer = ClientBuffer.Empty;
    private byte[] _delimiter = ";"u8.ToArray();
    private bool _atStreamStart = true;
    private bool _lineStart = true;
    private long _line = 1;

    // Inside /*! ... */ or /*M! ... */: the server runs the content (as far as the scanner assumes),
    // unless its version is beyond any server (mysqldump's /*M!999999\- enable the sandbox mode */).
    private int _versioned = -1;
    private bool _mariaDbOnly;
    private bool _skipped;

    // The token being read.
    private bool _inToken;
    private SqlTokenKind _tokenKind;
    private long _tokenLine;
    private readonly byte[] _tokenBytes = new byte[MaxTokenText];
    private int _tokenLength;
    private bool _capture;

    // For a quoted token: its quote, and whether a backslash escapes (null: the sql_mode is unknown).
    private byte _quote;
    private bool? _escapes;

    private readonly Dictionary<string, string> _words = new(StringComparer.Ordinal);

    public long Line => _line;

    /// <summary>The client's delimiter now (<c>;</c> until a DELIMITER line).</summary>
    public string Delimiter => Encoding.ASCII.GetString(_delimiter);

    /// <summary>
    /// Reads as much of <paramref name="data"/> as can be decided and returns how many bytes that was;
    /// the caller feeds the rest again with more data. With <paramref name="final"/> it reads all of it
    /// and ends the last statement.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data, bool final)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var before = pos;
            pos = _state switch
            {
                State.Code => Code(data, pos, final),
                State.Quoted => Quoted(data, pos, final),
                State.BlockComment => BlockComment(data, pos, final),
                _ => LineComment(data, pos),
            };
            if (pos == before)
            {
                if (final)
                    throw new InvalidOperationException($"the SQL scanner made no progress at the end, in state {_state}");
                return pos; // needs more data
            }
        }

        if (final)
            Finish();
        return pos;
    }

    private void Finish()
    {
        EndToken();
        _state = State.Code;
        sink.StatementEnd(_line);
        sink.QueryEnd(_line);
    }

    // Every decision in code needs at most this many bytes ahead (delimiter, "delimiter ", /*M!NNNNNN).
    private const int Lookahead = 16;

    private int Code(ReadOnlySpan<byte> data, int pos, bool final)
    {
        if (!final && data.Length - pos < Lookahead)
            return pos;

        if (_atStreamStart)
        {
            // The client skips a UTF-8 byte order mark on the first line; the server never sees it.
            _atStreamStart = false;
            if (data[pos..].StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                return pos + 3;
        }

        var b = data[pos];
        var next = pos + 1 < data.Length ? data[pos + 1] : (byte)0;
        if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or 0x0B or 0x0C)
        {
            EndToken();
            return pos + 1;
        }

        if (b == (byte)'\n')
        {
            EndToken();
            _line++;
            _lineStart = true;
            return pos + 1;
        }

        var lineStart = _lineStart;
        if (lineStart && _clientBuffer != ClientBuffer.Content && _versioned < 0)
        {
            var command = ClientCommand(data, pos, final);
            if (command < 0)
                return pos;
            if (command != pos)
                return command;
        }

        _lineStart = false;
        if (b == 0)
            throw Refuse("a NUL byte, which mysql and the server may read differently");

        if (b == (byte)'\\')
            return Backslash(next, pos);

        if (b == _delimiter[0] && data[pos..].StartsWith(_delimiter))
        {
            if (_versioned >= 0)
                throw Refuse($"the client's delimiter '{Delimiter}' inside a /*! */ comment: mysql would cut the statement there");
            EndToken();
            sink.StatementEnd(_line);
            sink.QueryEnd(_line);
            _clientBuffer = ClientBuffer.Empty;
            return pos + _delimiter.Length;
        }

        // MySQL's client also takes "delimiter " in the middle of a line as its command.
        if ((b | 0x20) == 'd' && data.Length - pos >= 10 && Ascii.EqualsIgnoreCase(data.Slice(pos, 10), "delimiter "u8))
            throw Refuse("'delimiter' inside a line, which MySQL's client reads as its DELIMITER command and MariaDB's does not");

        if (b == (byte)'#')
        {
            EndToken();
            _state = State.LineComment;
            return pos + 1;
        }

        if (b == (byte)'-' && next == (byte)'-')
            return DashDash(data, pos, lineStart);

        if (b == (byte)'/' && next == (byte)'*')
            return CommentStart(data, pos);

        if (b == (byte)'*' && next == (byte)'/' && _versioned >= 0)
        {
            EndToken();
            _versioned = -1;
            _mariaDbOnly = _skipped = false;
            return pos + 2;
        }

        _clientBuffer = ClientBuffer.Content;
        if (b is (byte)'\'' or (byte)'"' or (byte)'`')
        {
            EndToken();
            StartQuoted(b, variable: false);
            return pos + 1;
        }

        if (b == (byte)'@')
            return Variable(next, pos);

        if (IsWordByte(b) || (b == (byte)'.' && _inToken && _tokenKind is SqlTokenKind.SystemVariable or SqlTokenKind.UserVariable))
        {
            if (!_inToken)
                StartToken(SqlTokenKind.Word, capture: true);
            // The rest of the word at once: most of a dump's code is numbers and names.
            var run = data[pos..].IndexOfAnyExcept(WordBytes);
            var length = run < 0 ? data.Length - pos : Math.Max(run, 1);
            if (run < 0 && !final)
                length = Math.Max(1, length - Lookahead);
            var word = data.Slice(pos, length);
            AppendRange(word);
            KeepTail(word);
            // MySQL's client finds "delimiter " anywhere, even at the end of a longer word.
            if (run >= 0 && pos + length < data.Length && data[pos + length] == (byte)' ' && TailIsDelimiter())
                throw Refuse("'delimiter' inside a line, which MySQL's client reads as its DELIMITER command and MariaDB's does not");
            return pos + length;
        }

        EndToken();
        if (b == (byte)';')
        {
            if (!_skipped)
                sink.StatementEnd(_line);
            return pos + 1;
        }

        if (b == (byte)':' && next == (byte)'=')
        {
            Emit(SqlTokenKind.Punct, ":=");
            return pos + 2;
        }

        Emit(SqlTokenKind.Punct, Punctuation[b] ??= ((char)b).ToString());
        return pos + 1;
    }

    private static readonly string?[] Punctuation = new string?[256];

    /// <summary>
    /// At the start of a line while the client holds no query text: its DELIMITER command (the only
    /// one --binary-mode keeps, with \C), or MySQL's "charset" command. Returns <paramref name="pos"/>
    /// when the line is no command, -1 when more of the line is needed, else where the line ends.
    /// </summary>
    private int ClientCommand(ReadOnlySpan<byte> data, int pos, bool final)
    {
        var rest = data[pos..];
        var newline = rest.IndexOf((byte)'\n');
        var line = newline < 0 ? rest : rest[..newline];
        var wordEnd = line.IndexOfAny(" \t\r"u8);
        var word = wordEnd < 0 ? line : line[..wordEnd];
        if (newline < 0 && wordEnd < 0 && !final && line.Length < MaxCommandLine)
            return -1; // the first word may still grow into a command

        var isDelimiter = word.Length >= 9 && Ascii.EqualsIgnoreCase(word[..9], "delimiter"u8);
        if (!isDelimiter)
        {
            if (Ascii.EqualsIgnoreCase(word, "charset"u8))
                throw Refuse("a 'charset' line, which MySQL's client runs as a command that changes how it reads the rest");
            return pos;
        }

        if (newline < 0 && !final)
        {
            if (line.Length >= MaxCommandLine)
                throw Refuse("an overlong DELIMITER line");
            return -1;
        }

        if (_clientBuffer == ClientBuffer.HintOnly)
            throw Refuse("a DELIMITER line after a /*+ */ comment, which MariaDB's client drops and MySQL's keeps");

        var argument = line[word.Length..].Trim(" \t\r\v\f"u8);
        if (word.Length != 9 || argument.Length is 0 or > 15 || argument.ContainsAnyExcept(DelimiterBytes))
            throw Refuse("an unusual DELIMITER line (the delimiter must be 1 to 15 printable characters without quotes, " +
                         "backslash or spaces, alone on its line)");
        _delimiter = argument.ToArray();
        _line++;
        _lineStart = true;
        return pos + line.Length + (newline < 0 ? 0 : 1);
    }

    private static readonly SearchValues<byte> DelimiterBytes = SearchValues.Create(
        Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (byte)c).Where(c => c is not ((byte)'\'' or (byte)'"' or (byte)'`' or (byte)'\\')).ToArray());

    private int Backslash(byte next, int pos)
    {
        switch (next)
        {
            case (byte)'N':
                // \N is NULL to the server; the client passes it on.
                EndToken();
                _clientBuffer = ClientBuffer.Content;
                Emit(SqlTokenKind.Word, "NULL");
                return pos + 2;
            case (byte)'-':
                // MariaDB's sandbox command, which mysqldump writes first: it only takes powers away.
                EndToken();
                return pos + 2;
            case (byte)'\n' or (byte)'\r' or 0:
                throw Refuse("a backslash at the end of a line, which the client drops");
            default:
                throw Refuse($"the client command '\\{(char)next}' (it is no SQL and could change how the rest is read)");
        }
    }

    private int DashDash(ReadOnlySpan<byte> data, int pos, bool lineStart)
    {
        var third = pos + 2 < data.Length ? data[pos + 2] : (byte)'\n';
        if (third is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C)
        {
            EndToken();
            _state = State.LineComment;
            return pos + 2;
        }

        if (third < 0x20 || third == 0x7F)
            throw Refuse("'--' followed by a control character: a comment to the server, text to the client");
        if (lineStart && _clientBuffer == ClientBuffer.Empty && _versioned < 0)
            throw Refuse("a line starting with '--' without a space: MariaDB's client drops it as a comment, the server would read it");

        EndToken();
        _clientBuffer = ClientBuffer.Content;
        Emit(SqlTokenKind.Punct, "-");
        return pos + 1;
    }

    private int CommentStart(ReadOnlySpan<byte> data, int pos)
    {
        EndToken();
        var third = pos + 2 < data.Length ? data[pos + 2] : (byte)0;
        var fourth = pos + 3 < data.Length ? data[pos + 3] : (byte)0;
        var versioned = third == (byte)'!' || (third == (byte)'M' && fourth == (byte)'!');
        if (_versioned >= 0)
            throw Refuse("a comment inside a /*! */ comment, which the client and the server end at different places");

        if (!versioned)
        {
            var hint = third == (byte)'+';
            if (hint && _clientBuffer == ClientBuffer.Empty)
                _clientBuffer = ClientBuffer.HintOnly;
            _state = State.BlockComment;
            return pos + 2;
        }

        var start = pos + (third == (byte)'!' ? 3 : 4);
        var digits = 0;
        while (digits < 6 && start + digits < data.Length && char.IsAsciiDigit((char)data[start + digits]))
            digits++;
        _clientBuffer = ClientBuffer.Content;
        _mariaDbOnly = third == (byte)'M';
        if (digits >= 5)
        {
            _versioned = int.Parse(Encoding.ASCII.GetString(data.Slice(start, digits)), System.Globalization.CultureInfo.InvariantCulture);
            // MariaDB reads 5 or 6 digits, MySQL 5 (and skips /*M! */ whole): skipped only when both would.
            _skipped = _mariaDbOnly ? _versioned >= 200000 : digits == 6 && _versioned >= 990000;
            return start + digits;
        }

        _versioned = 0;
        return start;
    }

    private int Variable(byte next, int pos)
    {
        EndToken();
        if (next == (byte)'@')
        {
            StartToken(SqlTokenKind.SystemVariable, capture: true);
            return pos + 2;
        }

        if (next is (byte)'\'' or (byte)'"' or (byte)'`')
        {
            StartQuoted(next, variable: true);
            return pos + 2;
        }

        if (IsWordByte(next))
        {
            StartToken(SqlTokenKind.UserVariable, capture: true);
            return pos + 1;
        }

        Emit(SqlTokenKind.Punct, "@");
        return pos + 1;
    }

    private void StartQuoted(byte quote, bool variable)
    {
        _quote = quote;
        var ansi = sink.AnsiQuotes;
        var name = quote == (byte)'`' || (quote == (byte)'"' && ansi != false);
        var noBackslash = sink.NoBackslashEscapes;
        // In a name a backslash is plain; in a string it escapes unless NO_BACKSLASH_ESCAPES; while either
        // setting is unknown, a "double-quoted" token could be either.
        _escapes = quote == (byte)'`' || (quote == (byte)'"' && ansi == true) ? false
            : quote == (byte)'"' && ansi is null ? null
            : noBackslash is { } nbe ? !nbe : null;
        var kind = variable ? SqlTokenKind.UserVariable : name ? SqlTokenKind.QuotedName : SqlTokenKind.String;
        StartToken(kind, capture: variable || name || sink.WantsStringValues);
        _state = State.Quoted;
    }

    private int Quoted(ReadOnlySpan<byte> data, int pos, bool final)
    {
        var rest = data[pos..];
        var stop = rest.IndexOfAny(QuotedStops[StopsIndex(_quote, _escapes != false, _versioned >= 0)]);
        if (stop < 0)
        {
            AppendRange(rest);
            return data.Length;
        }

        AppendRange(rest[..stop]);
        pos += stop;
        var b = data[pos];
        if (b == 0)
            throw Refuse("a NUL byte, which mysql and the server may read differently");
        if (b == (byte)'\n')
        {
            _line++;
            Append(b);
            return pos + 1;
        }

        // A quote, backslash or '*' is decided by the byte after it.
        if (pos + 1 >= data.Length && !final)
            return pos;
        var next = pos + 1 < data.Length ? data[pos + 1] : -1;
        if (b == (byte)'*')
        {
            if (next == '/')
                throw Refuse("'*/' inside a string or name in a /*! */ comment: a server that skips the comment ends it there");
            Append(b);
            return pos + 1;
        }

        if (b == (byte)'\\')
        {
            if (_escapes is null)
                throw Refuse("a backslash in a string while the session's sql_mode is not known, so it is unclear " +
                             "whether it escapes the next character");
            if (next == 0)
                throw Refuse("a NUL byte, which mysql and the server may read differently");
            if (next == '\n')
                _line++;
            Append(b);
            if (next < 0)
                return pos + 1;
            Append((byte)next);
            return pos + 2;
        }

        if (next == _quote)
        {
            Append(b);
            return pos + 2;
        }

        EndToken();
        _state = State.Code;
        return pos + 1;
    }

    private static int StopsIndex(byte quote, bool backslash, bool versioned) =>
        (quote == (byte)'\'' ? 0 : quote == (byte)'"' ? 4 : 8) + (backslash ? 2 : 0) + (versioned ? 1 : 0);

    // Where a quoted token's bytes can stop being plain: its quote, a newline (counted), NUL (refused),
    // a backslash where it escapes, '*' inside /*! */ (the start of "*/").
    private static readonly SearchValues<byte>[] QuotedStops =
        "'\"`".SelectMany(quote => new[] { "", "*", "\\", "\\*" }.Select(extra => SearchValues.Create(
            Encoding.ASCII.GetBytes(quote + "\n\0" + extra)))).ToArray();

    private int BlockComment(ReadOnlySpan<byte> data, int pos, bool final)
    {
        var rest = data[pos..];
        var end = rest.IndexOf("*/"u8);
        if (end < 0)
        {
            // Keep a last '*' for the next chunk: it may start the "*/".
            var skip = final || rest[^1] != (byte)'*' ? rest.Length : rest.Length - 1;
            _line += rest[..skip].Count((byte)'\n');
            return pos + skip;
        }

        _line += rest[..end].Count((byte)'\n');
        _state = State.Code;
        return pos + end + 2;
    }

    private int LineComment(ReadOnlySpan<byte> data, int pos)
    {
        var rest = data[pos..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
            return data.Length;
        _line++;
        _lineStart = true;
        _state = State.Code;
        return pos + end + 1;
    }

    private static readonly SearchValues<byte> WordBytes = SearchValues.Create(
        Enumerable.Range(0, 256).Select(b => (byte)b).Where(IsWordByte).ToArray());

    private static bool IsWordByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'_' or (byte)'$' or >= 0x80;

    // The last bytes of the word being read (words can be megabytes: a BLOB in hex).
    private readonly byte[] _tail = new byte[9];
    private int _tailLength;

    private void KeepTail(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= _tail.Length)
        {
            bytes[^_tail.Length..].CopyTo(_tail);
            _tailLength = _tail.Length;
            return;
        }

        var keep = Math.Min(_tailLength, _tail.Length - bytes.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        bytes.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + bytes.Length;
    }

    private bool TailIsDelimiter() => _tailLength == _tail.Length && Ascii.EqualsIgnoreCase(_tail, "delimiter"u8);

    private void StartToken(SqlTokenKind kind, bool capture)
    {
        _tailLength = 0;
        _inToken = true;
        _tokenKind = kind;
        _tokenLine = _line;
        _tokenLength = 0;
        _capture = capture;
    }

    private void Append(byte b)
    {
        if (_capture && _tokenLength < MaxTokenText)
            _tokenBytes[_tokenLength++] = b;
    }

    private void AppendRange(ReadOnlySpan<byte> bytes)
    {
        if (!_capture)
            return;
        var n = Math.Min(bytes.Length, MaxTokenText - _tokenLength);
        bytes[..n].CopyTo(_tokenBytes.AsSpan(_tokenLength));
        _tokenLength += n;
    }

    private void EndToken()
    {
        if (!_inToken)
            return;
        _inToken = false;
        var bytes = _tokenBytes.AsSpan(0, _tokenLength);
        var kind = _tokenKind;
        if (_skipped)
            return;
        if (kind == SqlTokenKind.Word && bytes.Length > 0 && char.IsAsciiDigit((char)bytes[0]) && IsNumber(bytes))
        {
            sink.Token(new SqlToken(SqlTokenKind.Number, "", _tokenLine, _versioned, _mariaDbOnly));
            return;
        }

        sink.Token(new SqlToken(kind, Text(bytes), _tokenLine, _versioned, _mariaDbOnly));
    }

    private static bool IsNumber(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 2 && bytes[0] == (byte)'0' && (bytes[1] | 0x20) is (byte)'x' or (byte)'b')
            return true;
        var e = false;
        foreach (var b in bytes)
        {
            if (char.IsAsciiDigit((char)b))
                continue;
            if ((b | 0x20) == (byte)'e' && !e)
            {
                e = true;
                continue;
            }

            return false;
        }

        return true;
    }

    private string Text(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 16 || !Ascii.IsValid(bytes))
            return Encoding.UTF8.GetString(bytes);
        Span<char> chars = stackalloc char[bytes.Length];
        Ascii.ToUtf16(bytes, chars, out _);
        var lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var known))
            return known;
        var text = new string(chars);
        if (_words.Count < 4096)
            _words[text] = text;
        return text;
    }

    private void Emit(SqlTokenKind kind, string text)
    {
        if (!_skipped)
            sink.Token(new SqlToken(kind, text, _line, _versioned, _mariaDbOnly));
    }

    private RestoreRefusedException Refuse(string what) =>
        new(_line, $"{what}; a dump made by mysqldump never holds that, so this one was made otherwise or altered");
}
