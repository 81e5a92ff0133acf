using System.Text;
using Backup.Core.Pipeline;
using Backup.Core.Sources.PostgreSql;

namespace Backup.Tests.PostgreSql;

/// <summary>The completion-line check of plain dumps, shown a script as pg_dump's output passes through an <see cref="ObservedStream"/>.</summary>
public sealed class PlainDumpTrailerSpecs
{
    // As pg_dump 15.14 and later end a script (earlier ones end after the second "--" and its blank line).
    private const string Ending = "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict XOEanY1lcKWnW5jQ47khANforefobGgRexdGE3lWI\n\n";

    // pg_dumpall writes \unrestrict before its line.
    private const string GlobalsEnding = "\\unrestrict 1s4dvhCrpkx4GNCQSaV2Kw26pJK\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n";

    private static async Task<PlainDumpTrailer> WriteAsync(PlainDumpTrailer trailer, params string[] chunks)
    {
        var inner = new MemoryStream();
        await using var stream = new ObservedStream(inner, trailer.Observe);
        foreach (var chunk in chunks)
            await stream.WriteAsync(Encoding.UTF8.GetBytes(chunk));
        Assert.Equal(string.Concat(chunks), Encoding.UTF8.GetString(inner.ToArray()));
        return trailer;
    }

    [Theory]
    [InlineData("COPY t (a) FROM stdin;\n1\n\\.\n\n\n" + Ending)]
    [InlineData("SELECT 1;\n\n--\n-- PostgreSQL database dump complete\n--\n\n")]
    [InlineData("SELECT 1;\r\n--\r\n-- PostgreSQL database dump complete\r\n--\r\n")]
    [InlineData("-- PostgreSQL database dump complete")]
    public async Task A_script_ending_with_the_completion_line_and_what_pg_dump_writes_after_it_is_complete(string script)
    {
        Assert.True((await WriteAsync(PlainDumpTrailer.ForDatabase(), script)).IsComplete);
    }

    [Fact]
    public async Task The_line_is_found_across_writes_of_one_byte_and_after_a_long_dump()
    {
        var script = "SET x = 1;\n" + new string('x', 100_000) + "\n" + Ending;
        var trailer = PlainDumpTrailer.ForDatabase();

        await WriteAsync(trailer, script.Select(c => c.ToString()).ToArray());

        Assert.True(trailer.IsComplete);
        Assert.Equal(Encoding.UTF8.GetByteCount(script), trailer.BytesSeen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SET statement_timeout = 0;\nCOPY t (a) FROM stdin;\n1\n2")]
    [InlineData("SET x = 1;\n--\n-- PostgreSQL database dump comp")]
    // The line as data, followed by more of the dump: the script went on after it, and was cut short.
    [InlineData("INSERT INTO t VALUES ('\n-- PostgreSQL database dump complete\n');\nINSERT INTO t VALUES (2);\n")]
    // Anything but pg_dump's own closing lines after it.
    [InlineData("-- PostgreSQL database dump complete\n--\nDROP TABLE t;\n")]
    [InlineData("-- PostgreSQL database dump complete\n-- a comment of someone else\n")]
    [InlineData("-- PostgreSQL database dump complete\n\\! rm -rf /\n")]
    public async Task A_script_without_it_or_going_on_after_it_is_incomplete(string script)
    {
        Assert.False((await WriteAsync(PlainDumpTrailer.ForDatabase(), script)).IsComplete);
    }

    [Fact]
    public async Task Of_a_long_dump_only_the_last_bytes_are_kept_and_a_line_kept_in_part_is_no_proof()
    {
        const string line = "-- PostgreSQL database dump complete";
        var whole = await WriteAsync(PlainDumpTrailer.ForDatabase(), "SELECT 1;\n" + line + "\n" + new string('\n', 4000));
        Assert.True(whole.IsComplete);

        // 4096 bytes are kept, which here start inside a data line that merely ends like the completion line.
        var part = await WriteAsync(PlainDumpTrailer.ForDatabase(), "SELECT 'xx" + line + new string('\n', 4096 - line.Length));
        Assert.False(part.IsComplete);
    }

    [Fact]
    public async Task The_globals_have_their_own_line_written_after_unrestrict()
    {
        Assert.True((await WriteAsync(PlainDumpTrailer.ForGlobals(), "CREATE ROLE x;\n\n" + GlobalsEnding)).IsComplete);
        Assert.False((await WriteAsync(PlainDumpTrailer.ForGlobals(), "CREATE ROLE x;\n" + Ending)).IsComplete);
        Assert.False((await WriteAsync(PlainDumpTrailer.ForDatabase(), "CREATE ROLE x;\n" + GlobalsEnding)).IsComplete);
    }

    [Fact]
    public async Task A_custom_archive_is_told_by_its_first_bytes_even_split_across_writes()
    {
        var check = new CustomArchive.HeaderCheck();
        await using (var stream = new ObservedStream(Stream.Null, check.Observe))
        {
            await stream.WriteAsync("PG"u8.ToArray());
            await stream.WriteAsync("DMP\x01\x0e"u8.ToArray());
        }

        Assert.True(check.IsArchive);
        var script = new CustomArchive.HeaderCheck();
        script.Observe("--\n-- PostgreSQL database dump\n"u8);
        Assert.False(script.IsArchive);
        var short_ = new CustomArchive.HeaderCheck();
        short_.Observe("PGDM"u8);
        Assert.False(short_.IsArchive);
    }

    [Fact]
    public async Task Verify_takes_a_stored_script_that_ends_as_a_dump_or_as_the_globals_and_refuses_one_cut_short()
    {
        await PlainDumpTrailer.ReadToEndAsync(new MemoryStream(Encoding.UTF8.GetBytes("CREATE TABLE t ();\n" + Ending)), CancellationToken.None);
        await PlainDumpTrailer.ReadToEndAsync(new MemoryStream(Encoding.UTF8.GetBytes("CREATE ROLE x;\n" + GlobalsEnding)), CancellationToken.None);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            PlainDumpTrailer.ReadToEndAsync(new MemoryStream(Encoding.UTF8.GetBytes("CREATE TABLE t ();\nINSERT")), CancellationToken.None));

        Assert.Contains("does not end with '-- PostgreSQL database dump complete' (pg_dump) or '-- PostgreSQL database cluster dump complete' (pg_dumpall)", e.Message);
    }
}
