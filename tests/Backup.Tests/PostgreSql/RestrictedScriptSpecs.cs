using System.Text;
using System.Text.RegularExpressions;
using Backup.Core;
using Backup.Core.Sources.PostgreSql.Restore;
using Backup.Tests.Destinations;

namespace Backup.Tests.PostgreSql;

/// <summary>
/// The guard a plain dump passes through on its way to psql: psql is put in restricted mode with a key
/// the script cannot know, the script's own restrict lines are left out, and a script that holds
/// <c>\unrestrict</c> anywhere else is refused before psql is given it.
/// </summary>
public sealed partial class RestrictedScriptSpecs
{
    private const string Key = "XOEanY1lcKWnW5jQ47khANforefobGgRexdGE3lWI";

    private const string Comments = "--\n-- PostgreSQL database dump\n--\n\n";

    private const string AfterRestrict = "\n-- Dumped from database version 15.18\n\nSET statement_timeout = 0;\n";

    private const string Header = Comments + $"\\restrict {Key}\n" + AfterRestrict;

    private const string Complete = "--\n-- PostgreSQL database dump complete\n--\n\n";

    private const string Ending = Complete + $"\\unrestrict {Key}\n\n";

    private const string Body =
        "CREATE TABLE public.t (id integer, note text);\n" +
        "COPY public.t (id, note) FROM stdin;\n1\tbackslash \\\\! is data here\n2\t\\N\n\\.\n\n" +
        "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $$SELECT '\\! not a command in a string'$$;\n";

    [GeneratedRegex(@"^\\restrict [A-Za-z0-9]{32}\n")]
    private static partial Regex FreshRestrict();

    /// <summary>What psql is given: every byte read through the guard, in reads of <paramref name="chunk"/> bytes.</summary>
    private static async Task<(string Given, RestrictedScript Guard)> ThroughAsync(string script, int chunk)
    {
        var guard = new RestrictedScript(new UnknownLengthStream(Encoding.UTF8.GetBytes(script), chunk));
        using var output = new MemoryStream();
        await guard.CopyToAsync(output, chunk);
        return (Encoding.UTF8.GetString(output.ToArray()), guard);
    }

    /// <summary>What psql was given before the refusal, and the refusal.</summary>
    private static (string Given, BackupException Refusal) Refused(string script, int chunk)
    {
        using var guard = new RestrictedScript(new UnknownLengthStream(Encoding.UTF8.GetBytes(script), chunk));
        var given = new MemoryStream();
        var buffer = new byte[chunk];
        try
        {
            int n;
            while ((n = guard.Read(buffer)) > 0)
                given.Write(buffer, 0, n);
        }
        catch (BackupException e)
        {
            return (Encoding.UTF8.GetString(given.ToArray()), e);
        }

        throw new Xunit.Sdk.XunitException($"not refused; given: {Encoding.UTF8.GetString(given.ToArray())}");
    }

    /// <summary>The fresh <c>\restrict</c> line psql is given first, checked and taken off.</summary>
    private static string AfterFreshRestrict(string given)
    {
        var match = FreshRestrict().Match(given);
        Assert.True(match.Success, $"psql is not given a fresh \\restrict first: {given[..Math.Min(given.Length, 80)]}");
        Assert.DoesNotContain(Key, match.Value);
        return given[match.Length..];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task A_pg_dump_script_is_given_with_a_fresh_key_instead_of_its_own_in_reads_of_any_size(int chunk)
    {
        var (given, guard) = await ThroughAsync(Header + Body + Ending, chunk);

        // Its closing line left out, the blank line after it kept.
        Assert.Equal(Comments + AfterRestrict + Body + Complete + "\n", AfterFreshRestrict(given));
        Assert.False(guard.PassedCommit);
    }

    [Fact]
    public async Task Each_restore_gets_a_key_of_its_own()
    {
        var (first, _) = await ThroughAsync(Header + Body + Ending, 65536);
        var (second, _) = await ThroughAsync(Header + Body + Ending, 65536);

        Assert.NotEqual(FreshRestrict().Match(first).Value, FreshRestrict().Match(second).Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65536)]
    public async Task A_script_of_an_older_pg_dump_without_restrict_lines_is_given_whole_in_restricted_mode(int chunk)
    {
        var script = Comments + AfterRestrict + Body + Complete;

        var (given, _) = await ThroughAsync(script, chunk);

        Assert.Equal(script, AfterFreshRestrict(given));
    }

    [Theory]
    [InlineData($"SELECT 1; \\unrestrict {Key}\n")]       // psql reads a command in the middle of a line
    [InlineData($"\\unrestrict {Key}\n")]                  // its own key, but not at its end
    [InlineData($"\\unrestrict\t{Key}\n")]                 // psql skips any blank before the key
    [InlineData($"\\unrestrict  {Key}\n")]
    [InlineData($"\\unrestrict '{Key}'\n")]                // and takes it quoted
    [InlineData("\\unrestrict `touch /tmp/owned`\n")]      // and runs a backquoted command to read it, even restricted
    [InlineData("\\unrestrict SomeOtherKey\n")]
    [InlineData("1\tquoting \\\\unrestrict as data\n")]   // only quoting it: refused too (--to-file is the way out)
    public void Unrestrict_anywhere_but_the_closing_line_is_refused_and_nothing_from_it_on_reaches_psql(string inserted)
    {
        foreach (var chunk in new[] { 1, 5, 65536 })
        {
            var (given, refusal) = Refused(Header + inserted + "\\! touch /tmp/owned\n" + Body + Ending, chunk);

            var expected = Comments + AfterRestrict + inserted[..inserted.IndexOf("\\unrestrict", StringComparison.Ordinal)];
            // Refused within the first read, psql is given nothing at all.
            var afterRestrict = given.Length == 0 ? "" : AfterFreshRestrict(given);
            Assert.True(expected.StartsWith(afterRestrict, StringComparison.Ordinal), $"chunk {chunk}: given {given}");
            Assert.StartsWith("line 10 of the SQL script: '\\unrestrict' other than as the script's own closing line", refusal.Message);
            Assert.Contains("--to-file", refusal.Message);
        }
    }

    [Theory]
    [InlineData("\\unres\0\ntrict `touch /tmp/owned`\n")] // psql drops the NUL's rest of line and joins the next one on
    [InlineData("\\\0\nunrestrict `touch /tmp/owned`\n")]
    [InlineData("SELECT 'a NUL \0 in a string';\n")]
    public void A_NUL_byte_is_refused_before_psql_is_given_its_line(string inserted)
    {
        foreach (var chunk in new[] { 1, 4, 65536 })
        {
            var (given, refusal) = Refused(Header + inserted + Body + Ending, chunk);

            var afterRestrict = given.Length == 0 ? "" : AfterFreshRestrict(given);
            Assert.True((Comments + AfterRestrict + inserted[..inserted.IndexOf('\0')]).StartsWith(afterRestrict, StringComparison.Ordinal), $"chunk {chunk}: given {given}");
            Assert.DoesNotContain("\0", afterRestrict);
            Assert.StartsWith("line 10 of the SQL script: a NUL byte", refusal.Message);
        }
    }

    [Fact]
    public void A_refusal_is_thrown_again_by_every_later_read()
    {
        using var guard = new RestrictedScript(new UnknownLengthStream(Encoding.UTF8.GetBytes(Header + "\\unrestrict x\n"), 65536));
        var buffer = new byte[100];

        var first = Assert.Throws<BackupException>(() =>
        {
            while (guard.Read(buffer) > 0)
            {
            }
        });
        var again = Assert.Throws<BackupException>(() => guard.Read(buffer));

        Assert.Same(first, again);
    }

    [Theory]
    [InlineData("\\! touch /tmp/owned\n")]
    [InlineData("SELECT 1;\n")]
    [InlineData($"\\unrestrict {Key}\n")]
    public void Anything_but_comments_and_blank_lines_after_the_closing_line_is_refused(string appended)
    {
        var (given, refusal) = Refused(Header + Body + Ending + appended, 64);

        Assert.Equal(Comments + AfterRestrict + Body + Complete, AfterFreshRestrict(given));
        Assert.Contains("other than as the script's own closing line", refusal.Message);
    }

    [Fact]
    public async Task The_comment_lines_after_the_closing_line_pass_as_pg_dumpall_ends_its_globals()
    {
        var script = $"\\restrict {Key}\nCREATE ROLE app;\n\\unrestrict {Key}\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n";

        var (given, _) = await ThroughAsync(script, 3);

        Assert.Equal("CREATE ROLE app;\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n", AfterFreshRestrict(given));
    }

    [Fact]
    public void A_closing_line_with_another_key_or_more_on_its_line_is_refused()
    {
        Assert.Contains("closing line", Refused(Header + Body + Complete + "\\unrestrict Other\n", 64).Refusal.Message);
        Assert.Contains("closing line", Refused(Header + Body + Complete + $"\\unrestrict {Key} \\! touch /tmp/owned\n", 64).Refusal.Message);
    }

    [Fact]
    public void A_long_tail_after_the_closing_line_is_refused_without_waiting_for_the_end()
    {
        var script = Header + Body + Complete + $"\\unrestrict {Key}\n" + new string('-', 10_000) + "\n";

        var (given, refusal) = Refused(script, 1000);

        Assert.Equal(Comments + AfterRestrict + Body + Complete, AfterFreshRestrict(given));
        Assert.Contains("closing line", refusal.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65536)]
    public async Task A_COMMIT_line_given_to_psql_is_noticed_even_split_across_reads(int chunk)
    {
        // As pg_dump wraps large objects: that COMMIT ends psql's --single-transaction.
        var script = Header + "BEGIN;\n\nSELECT pg_catalog.lo_open('16400', 131072);\n\nCOMMIT;\n" + Body + Ending;

        var (_, guard) = await ThroughAsync(script, chunk);

        Assert.True(guard.PassedCommit);
    }

    [Theory]
    [InlineData("  commit;\n", true)]
    [InlineData("ROLLBACK;\n", true)]
    [InlineData("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\nEND;\n$$;\n", false)]
    [InlineData("COPY t (note) FROM stdin;\nuncommitted\n\\.\n", false)]
    public async Task A_line_that_ends_the_transaction_is_told_from_one_that_does_not(string inserted, bool ends)
    {
        var (_, guard) = await ThroughAsync(Header + inserted + Body + Ending, 2);

        Assert.Equal(ends, guard.PassedCommit);
    }
}
