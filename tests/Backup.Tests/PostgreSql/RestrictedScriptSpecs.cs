using System.Text;
using Backup.Core;
using Backup.Core.Sources.PostgreSql.Restore;
using Backup.Tests.Destinations;

namespace Backup.Tests.PostgreSql;

/// <summary>
/// The guard a plain dump passes through on its way to psql: what pg_dump writes passes unchanged, a
/// script psql would run its own commands from is refused before psql is given them.
/// </summary>
public sealed class RestrictedScriptSpecs
{
    private const string Key = "XOEanY1lcKWnW5jQ47khANforefobGgRexdGE3lWI";

    private const string Header = $"--\n-- PostgreSQL database dump\n--\n\n\\restrict {Key}\n\n-- Dumped from database version 15.18\n\nSET statement_timeout = 0;\n";

    private const string Ending = $"--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict {Key}\n\n";

    private const string Body =
        "CREATE TABLE public.t (id integer, note text);\n" +
        "COPY public.t (id, note) FROM stdin;\n1\t\\\\unrestrict is data here\n2\t\\N\n\\.\n\n" +
        "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $$SELECT '\\! not a command in a string'$$;\n" +
        "\\unrestrict SomeOtherKey\n";

    /// <summary>What psql is given: every byte read through the guard, in reads of <paramref name="chunk"/> bytes.</summary>
    private static async Task<string> ThroughAsync(string script, int chunk)
    {
        await using var guard = new RestrictedScript(new UnknownLengthStream(Encoding.UTF8.GetBytes(script), chunk));
        using var output = new MemoryStream();
        await guard.CopyToAsync(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>What psql was given before the refusal, and the refusal.</summary>
    private static (string Passed, BackupException Refusal) Refused(string script, int chunk)
    {
        using var guard = new RestrictedScript(new UnknownLengthStream(Encoding.UTF8.GetBytes(script), chunk));
        var passed = new MemoryStream();
        var buffer = new byte[chunk];
        try
        {
            int n;
            while ((n = guard.Read(buffer)) > 0)
                passed.Write(buffer, 0, n);
        }
        catch (BackupException e)
        {
            return (Encoding.UTF8.GetString(passed.ToArray()), e);
        }

        throw new Xunit.Sdk.XunitException($"passed: {Encoding.UTF8.GetString(passed.ToArray())}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task What_pg_dump_writes_passes_unchanged_in_reads_of_any_size(int chunk)
    {
        var script = Header + Body + Ending;

        Assert.Equal(script, await ThroughAsync(script, chunk));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65536)]
    public void A_script_without_the_restrict_line_is_refused_before_its_first_statement(int chunk)
    {
        var script = "--\n-- PostgreSQL database dump\n--\n\n\\! touch /tmp/owned\nSET statement_timeout = 0;\n";

        var (passed, refusal) = Refused(script, chunk);

        // At most the comment lines before it, which psql ignores (judged in the same read, not even those).
        Assert.StartsWith(passed, "--\n-- PostgreSQL database dump\n--\n\n", StringComparison.Ordinal);
        Assert.StartsWith("line 5 of the SQL script: it does not begin with the \\restrict line of pg_dump", refusal.Message);
        Assert.Contains("--to-file", refusal.Message);
        Assert.DoesNotContain("touch", refusal.Message);
    }

    [Theory]
    [InlineData("SET x = 1;\n\\restrict " + Key + "\n")]
    [InlineData("\\restrict " + Key + " extra\n")]
    [InlineData("\\restrict\n")]
    [InlineData("")]
    [InlineData("-- only a comment, and no end of line")]
    public void Anything_before_a_well_formed_restrict_line_is_refused(string script)
    {
        var (passed, refusal) = Refused(script, 3);

        Assert.DoesNotContain("restrict", passed);
        Assert.Contains("does not begin with the \\restrict line", refusal.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(65536)]
    public void Its_own_unrestrict_in_the_middle_is_refused_and_nothing_from_it_on_reaches_psql(int chunk)
    {
        var script = Header + $"SELECT 1; \\unrestrict {Key}\n\\! touch /tmp/owned\n" + Body + Ending;

        var (passed, refusal) = Refused(script, chunk);

        Assert.Equal(Header + "SELECT 1; ", passed);
        Assert.StartsWith("line 10 of the SQL script: more than pg_dump's closing lines follow its \\unrestrict", refusal.Message);
    }

    [Fact]
    public void Anything_but_comments_and_blank_lines_after_the_closing_unrestrict_is_refused()
    {
        var script = Header + Body + Ending + "\\! touch /tmp/owned\n";

        var (passed, refusal) = Refused(script, 64);

        Assert.Equal(Header + Body + Ending[..Ending.IndexOf("\\unrestrict", StringComparison.Ordinal)], passed);
        Assert.Contains("follow its \\unrestrict", refusal.Message);
    }

    [Fact]
    public void A_long_tail_after_unrestrict_is_refused_without_waiting_for_the_end()
    {
        var script = Header + $"\\unrestrict {Key}\n" + new string('-', 10_000) + "\n";

        var (passed, refusal) = Refused(script, 1000);

        Assert.Equal(Header, passed);
        Assert.Contains("follow its \\unrestrict", refusal.Message);
    }
}
