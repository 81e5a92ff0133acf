using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// PostgreSQL artifacts in a local destination through the `backup` program: every compression,
/// retention and prune, `verify --all`, and what verify finds in a dump cut short whose manifest was
/// made to match it (only reading the dump whole can tell).
/// </summary>
[Collection(PostgreSqlServicesCollection.Name)]
public sealed class PostgreSqlLocalStoreSpecs(PostgreSqlServer pg, S3Server s3) : IDisposable
{
    private readonly TempDir _dir = new("pg-local");
    private PostgreSqlCli? _cli;

    public void Dispose()
    {
        Cli.DropRestoredAsync(pg).GetAwaiter().GetResult();
        _dir.Dispose();
    }

    /// <summary>The connection keys and the databases restored into; this spec stores nothing in s3rver.</summary>
    private PostgreSqlCli Cli => _cli ??= new PostgreSqlCli(_dir, s3, "unused");

    private string Store => _dir.Combine("store");

    /// <summary>One source per (name, format, compression), each of the side database and the globals, kept to <paramref name="keepLast"/>.</summary>
    private string Config(int keepLast, params (string Name, string Format, string Compress)[] sources)
    {
        Directory.CreateDirectory(Store);
        var entries = sources.Select(s => $"""
                {s.Name}:
                  databases: [side]
                  format: {s.Format}
                  compress: {s.Compress}
                  destination: store
                  retention: {"{"} keep_last: {keepLast} {"}"}
            {Cli.Connection(pg)}
            """);
        return _dir.Write("backup.yaml", $"""
            sources:
              postgresql:
            {string.Join("\n", entries)}
            destinations:
              store: {"{"} method: local, path: {Store} {"}"}
            """);
    }

    [Fact]
    public async Task Every_compression_restores_and_retention_keeps_the_newest_of_each_item_which_verify_all_reads()
    {
        var config = Config(1, ("keep_zstd", "plain", "zstd"), ("keep_bzip2", "custom", "bzip2"), ("keep_none", "custom", "none"));
        var first = await PostgreSqlCli.BackupAsync(config);
        await FileClock.PassAsync(DateTimeOffset.UtcNow, _dir.Path);
        var (exitCode, stderr, second) = await PostgreSqlCli.RunAsync(config);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(6, second.Count);
        foreach (var (item, report) in second)
            Assert.Equal($"store: {first[item]}", Assert.Single(report.GetProperty("pruned").EnumerateArray()).GetString());
        var list = await BackupCli.RunAsync(["list", "--config", config]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        foreach (var (item, report) in second)
        {
            Assert.Contains(report.GetProperty("key").GetString()!, list.Stdout);
            Assert.DoesNotContain(first[item], list.Stdout);
        }

        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        PostgreSqlCli.AssertSays(verify.Stderr, "verify: 6 ok, 0 failed");

        var original = await PgFingerprint.OfAsync(pg, PostgreSqlServer.Side);
        foreach (var source in new[] { "keep_zstd", "keep_bzip2", "keep_none" })
        {
            var target = Cli.NewDatabase("side");
            var restore = await BackupCli.RunAsync(["restore", source, "side", "--into", target, "--config", config]);
            Assert.True(restore.ExitCode == 0, restore.Stderr);
            // A plain script keeps its owners; an archive is restored with --no-owner.
            original.AssertSame(await PgFingerprint.OfAsync(pg, target), ownership: source == "keep_zstd");
        }
    }

    [Theory]
    [InlineData("custom", "pg_restore cannot read the archive to its end, so it is incomplete or damaged")]
    [InlineData("plain", "does not end with '-- PostgreSQL database dump complete' (pg_dump)")]
    public async Task A_dump_cut_short_with_a_manifest_made_to_match_fails_verify_and_restores_nothing(string format, string problem)
    {
        var config = Config(5, ("cut", format, "none"));
        var keys = await PostgreSqlCli.BackupAsync(config);
        var key = keys["cut/side"];
        var file = Path.Combine(Store, key);
        Replace(key, File.ReadAllBytes(file)[..(int)(new FileInfo(file).Length * 2 / 3)]);
        var target = Cli.NewDatabase("side");

        var verify = await BackupCli.RunAsync(["verify", "--source", "cut", "--config", config]);
        var restore = await BackupCli.RunAsync(["restore", "cut", "side", "--into", target, "--config", config]);

        Assert.Equal(1, verify.ExitCode);
        PostgreSqlCli.AssertSays(verify.Stderr, problem);
        Assert.Equal(1, restore.ExitCode);
        PostgreSqlCli.AssertSays(restore.Stderr, problem);
        PostgreSqlCli.AssertSays(restore.Stderr, "found before anything was applied: no database was created or changed");
        Assert.Equal("0\n", await pg.SqlAsync($"SELECT count(*) FROM pg_database WHERE datname = '{target}'"));
    }

    [Theory]
    [InlineData("custom", "none")]
    [InlineData("plain", "gzip")]
    public async Task Single_pass_restores_while_reading_the_artifact_once(string format, string compress)
    {
        var config = Config(5, ("once", format, compress));
        await PostgreSqlCli.BackupAsync(config);
        var target = Cli.NewDatabase("side");

        var restore = await BackupCli.RunAsync(["restore", "once", "side", "--into", target, "--single-pass", "--config", config]);

        Assert.True(restore.ExitCode == 0, restore.Stderr);
        Assert.DoesNotContain("before applying it", restore.Stderr);
        (await PgFingerprint.OfAsync(pg, PostgreSqlServer.Side)).AssertSame(await PgFingerprint.OfAsync(pg, target), ownership: format == "plain");
    }

    [Fact]
    public async Task A_plain_dump_of_an_older_pg_dump_without_restrict_lines_restores_in_restricted_mode()
    {
        var config = Config(5, ("older", "plain", "none"));
        var key = (await PostgreSqlCli.BackupAsync(config))["older/side"];
        var lines = File.ReadAllText(Path.Combine(Store, key)).Split('\n').ToList();
        Assert.Equal(2, lines.RemoveAll(l => l.StartsWith(@"\restrict ", StringComparison.Ordinal) || l.StartsWith(@"\unrestrict ", StringComparison.Ordinal)));
        Replace(key, Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var target = Cli.NewDatabase("side");

        var restore = await BackupCli.RunAsync(["restore", "older", "side", "--into", target, "--config", config]);

        Assert.True(restore.ExitCode == 0, restore.Stderr);
        (await PgFingerprint.OfAsync(pg, PostgreSqlServer.Side)).AssertSame(await PgFingerprint.OfAsync(pg, target), ownership: true);
    }

    [Theory]
    [InlineData("no_restrict", false)]
    [InlineData("no_restrict", true)]
    [InlineData("own_key", false)]
    [InlineData("own_key", true)]
    [InlineData("tab", false)]
    [InlineData("backquote", true)]
    [InlineData("nul", false)]
    public async Task A_plain_dump_altered_to_run_a_shell_command_in_psql_never_runs_it(string alteration, bool singlePass)
    {
        var config = Config(5, ("forged", "plain", "none"));
        var key = (await PostgreSqlCli.BackupAsync(config))["forged/side"];
        var marker = _dir.Combine("psql-ran-a-shell-command");
        var lines = File.ReadAllText(Path.Combine(Store, key)).Split('\n').ToList();
        var restrict = lines.FindIndex(l => l.StartsWith(@"\restrict ", StringComparison.Ordinal));
        Assert.True(restrict >= 0, "pg_dump wrote no \\restrict line");
        var ownKey = lines[restrict][@"\restrict ".Length..];
        var command = $@"\! touch '{marker}'";
        switch (alteration)
        {
            case "no_restrict":
                // As a pg_dump before 15.14 wrote it, with a line added: psql in restricted mode refuses it.
                lines.RemoveAll(l => l.StartsWith(@"\restrict ", StringComparison.Ordinal) || l.StartsWith(@"\unrestrict ", StringComparison.Ordinal));
                lines.Insert(restrict, command);
                break;
            case "own_key":
                lines.InsertRange(restrict + 1, [$@"\unrestrict {ownKey}", command]);
                break;
            case "tab":
                lines.InsertRange(restrict + 1, [$"\\unrestrict\t{ownKey}", command]);
                break;
            case "backquote":
                // psql runs the backquoted command to read the key, restricted or not.
                lines.Insert(restrict + 1, $@"\unrestrict `touch '{marker}'`");
                break;
            case "nul":
                // psql drops what follows a NUL on its line, newline included, and joins the next line on.
                lines.InsertRange(restrict + 1, ["\\unres\0", $"trict `touch '{marker}'`"]);
                break;
        }

        var forged = string.Join('\n', lines);
        Replace(key, Encoding.UTF8.GetBytes(forged));
        // psql applying the script by hand runs the command: that is what the restore must not do.
        var scratch = await pg.CreateDatabaseAsync("forged");
        try
        {
            await pg.SqlAsync(forged, scratch);
        }
        catch (InvalidOperationException)
        {
            // Whether the rest of the altered script applies does not matter here; the command ran first.
        }
        finally
        {
            await pg.DropDatabaseAsync(scratch);
        }

        Assert.True(File.Exists(marker), "psql did not run the added command, so this spec would prove nothing");
        File.Delete(marker);
        var target = Cli.NewDatabase("side");

        var restore = await BackupCli.RunAsync(["restore", "forged", "side", "--into", target, "--config", config, .. singlePass ? ["--single-pass"] : Array.Empty<string>()]);

        Assert.Equal(1, restore.ExitCode);
        Assert.False(File.Exists(marker), "the restore ran psql's shell command");
        if (alteration == "no_restrict")
        {
            PostgreSqlCli.AssertSays(restore.Stderr, "backslash commands are restricted; only \\unrestrict is allowed");
            PostgreSqlCli.AssertSays(restore.Stderr, $"database '{target}' was created by this restore and has been dropped");
        }
        else
        {
            var line = $"line {restrict + 2} of the SQL script: " +
                       (alteration == "nul" ? "a NUL byte" : "'\\unrestrict' other than as the script's own closing line");
            PostgreSqlCli.AssertSays(restore.Stderr, line);
            var verify = await BackupCli.RunAsync(["verify", "--source", "forged", "--config", config]);
            Assert.Equal(1, verify.ExitCode);
            PostgreSqlCli.AssertSays(verify.Stderr, line);
            PostgreSqlCli.AssertSays(restore.Stderr, singlePass
                ? $"database '{target}' was created by this restore and has been dropped"
                : "found before anything was applied: no database was created or changed");
        }

        Assert.Equal("0\n", await pg.SqlAsync($"SELECT count(*) FROM pg_database WHERE datname = '{target}'"));
    }

    /// <summary>Puts <paramref name="content"/> in place of an artifact, with its manifest made to match.</summary>
    private void Replace(string key, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(Store, key), content);
        var manifestFile = Path.Combine(Store, Manifest.KeyFor(key));
        var manifest = JsonNode.Parse(File.ReadAllText(manifestFile))!;
        manifest["stored_size"] = content.Length;
        manifest["raw_size"] = content.Length;
        manifest["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllText(manifestFile, manifest.ToJsonString());
    }
}
