using System.Text;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// Whether a SQL script of pg_dump (or pg_dumpall) ends with its completion line: one cut short by a
/// crash, a kill or a lost connection lacks it even when every byte it did write arrived. The line is
/// looked for near the end, not at it: after it come only the lines pg_dump writes there, <c>--</c>,
/// blank lines and, from 17.6, 16.10, 15.14, 14.19 and 13.22 on, psql's <c>\unrestrict KEY</c> (which
/// pg_dumpall writes before its line). Shown the dump chunk by chunk, it keeps only the last bytes.
/// </summary>
internal sealed class PlainDumpTrailer(string completionLine)
{
    // The closing lines take about 100 bytes; the rest is room for what a later release adds there.
    private readonly StreamTail _tail = new(4096);

    /// <summary>For a database's dump.</summary>
    public static PlainDumpTrailer ForDatabase() => new(PgDumpArguments.PlainCompletionLine);

    /// <summary>For pg_dumpall's globals.</summary>
    public static PlainDumpTrailer ForGlobals() => new(PgDumpAllArguments.CompletionLine);

    public string CompletionLine => completionLine;

    /// <summary>
    /// What <c>verify</c> and a restore's check pass read a stored script into: to its end, which must be
    /// pg_dump's completion line or pg_dumpall's (the globals; a database may be named like their item
    /// where <c>globals</c> is off, so the name does not tell). Throws <see cref="InvalidDataException"/> when neither is there.
    /// </summary>
    public static async Task ReadToEndAsync(Stream input, CancellationToken ct)
    {
        var database = ForDatabase();
        var globals = ForGlobals();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
        {
            database.Observe(buffer.AsSpan(0, n));
            globals.Observe(buffer.AsSpan(0, n));
        }

        if (!database.IsComplete && !globals.IsComplete)
            throw new InvalidDataException(
                $"the SQL script does not end with '{database.CompletionLine}' (pg_dump) or '{globals.CompletionLine}' (pg_dumpall): it was cut short");
    }

    public long BytesSeen => _tail.BytesSeen;

    public void Observe(ReadOnlySpan<byte> chunk) => _tail.Observe(chunk);

    public bool IsComplete
    {
        get
        {
            // Latin-1 maps each byte to one char: the ASCII lines looked for read the same in any encoding the dump has.
            var lines = Encoding.Latin1.GetString(_tail.Bytes).Split('\n');
            // When the stream was longer than what is kept, the first line kept may be a part of one.
            var first = _tail.BytesSeen > _tail.Bytes.Length ? 1 : 0;
            for (var i = lines.Length - 1; i >= first; i--)
            {
                var line = lines[i].TrimEnd('\r');
                if (line == completionLine)
                    return true;
                if (!(line.Length == 0 || line == "--" || line.StartsWith(@"\unrestrict ", StringComparison.Ordinal)))
                    return false;
            }

            return false;
        }
    }
}
