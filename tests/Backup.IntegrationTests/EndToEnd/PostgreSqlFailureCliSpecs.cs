using System.Diagnostics;
using System.Text;
using Backup.Core.Sources.PostgreSql;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// How a postgresql source fails through the `backup` program: before any upload where it can be
/// known (a refused login, an old pg_dump, a database that is not there), and without a stored
/// artifact where it cannot (pg_dump killed half way); and where its password is while a dump runs.
/// </summary>
[Collection(PostgreSqlServicesCollection.Name)]
public sealed class PostgreSqlFailureCliSpecs(PostgreSqlServer pg, S3Server s3) : IDisposable
{
    private readonly TempDir _dir = new("pg-fail");
    private PostgreSqlCli? _cli;

    public void Dispose() => _dir.Dispose();

    /// <summary>This spec's prefix on s3rver and its password file.</summary>
    private PostgreSqlCli Cli => _cli ??= new PostgreSqlCli(_dir, s3, "pgfail-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Source <c>pg</c> with <paramref name="keys"/> (indented as its keys), gzip, s3rver.</summary>
    private string Config(string keys, string? connection = null) => _dir.Write("backup.yaml", $"""
        sources:
          postgresql:
            pg:
              compress: gzip
              destination: s3-main
        {keys}
        {connection ?? Cli.Connection(pg)}
        {Cli.Destinations}
        """);

    [Fact]
    public async Task A_wrong_password_fails_the_source_before_any_upload_without_the_secret_in_any_output()
    {
        var config = Config("      databases: [shop]", Cli.Connection(pg).Replace(
            $"password_file: {_dir.Combine("pg-password")}", "password: Zq9-not-it", StringComparison.Ordinal));

        var run = await BackupCli.RunAsync(["run", "--config", config]);
        var dryRun = await BackupCli.RunAsync(["run", "--dry-run", "--config", config]);

        Assert.Equal(1, run.ExitCode);
        PostgreSqlCli.AssertSays(run.Stderr, "FAILED pg: sources.postgresql.pg: PostgreSQL server 127.0.0.1");
        Assert.Contains("the login is refused; check 'user' and 'password'", run.Stderr);
        Assert.Equal(1, dryRun.ExitCode);
        PostgreSqlCli.AssertSays(dryRun.Stderr, "the login is refused");
        foreach (var output in new[] { run.Stdout, run.Stderr, dryRun.Stdout, dryRun.Stderr })
            Assert.DoesNotContain("Zq9-not-it", output);
        Assert.Empty(await Cli.StoredKeysAsync());
    }

    [Fact]
    public async Task An_unknown_database_fails_its_artifact_in_the_dry_run_and_the_run_while_the_others_are_stored()
    {
        var config = Config("      databases: [side, no_such_db]\n      globals: false");

        var dryRun = await BackupCli.RunAsync(["run", "--dry-run", "--config", config]);
        var stored = await Cli.StoredKeysAsync();
        var run = await PostgreSqlCli.RunAsync(config);

        var failure = $"FAILED pg/no_such_db: sources.postgresql.pg no_such_db: database 'no_such_db' does not exist on 127.0.0.1:{pg.Port} as 'backup'; check 'databases'";
        Assert.Equal(1, dryRun.ExitCode);
        PostgreSqlCli.AssertSays(dryRun.Stderr, failure);
        PostgreSqlCli.AssertSays(dryRun.Stderr, "would store pg/side");
        Assert.Empty(stored);
        Assert.Equal(1, run.ExitCode);
        PostgreSqlCli.AssertSays(run.Stderr, failure);
        Assert.Equal("ok", run.Artifacts["pg/side"].GetProperty("status").GetString());
        var keys = await Cli.StoredKeysAsync();
        Assert.Contains(keys, k => k.StartsWith("pg/side/", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Contains("no_such_db", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pg_dump_older_than_the_server_is_refused_before_anything_runs_naming_both_versions()
    {
        var bin = _dir.CreateDirectory("old-bin");
        var calls = _dir.Combine("calls");
        _dir.WriteExecutable("old-bin/pg_dump", $"""
            #!/bin/sh
            echo "$*" >> '{calls}'
            case "$1" in --version) echo 'pg_dump (PostgreSQL) 13.4 (Debian 13.4-1)'; exit 0;; esac
            exec '{PostgreSqlServer.Tool("pg_dump")}' "$@"
            """);
        var config = Config("      databases: [shop]");

        var run = await BackupCli.RunAsync(["run", "--config", config], environment: OnPath(bin));

        Assert.Equal(1, run.ExitCode);
        PostgreSqlCli.AssertSays(run.Stderr, $"FAILED pg: sources.postgresql.pg: {bin}/pg_dump is version 13.4, older than the PostgreSQL server 127.0.0.1:{pg.Port} as 'backup', which runs 15.");
        PostgreSqlCli.AssertSays(run.Stderr, "pg_dump cannot dump a newer server. Install the PostgreSQL 15 client or later (Debian/Ubuntu: postgresql-client-15)");
        Assert.Equal(["--version"], await File.ReadAllLinesAsync(calls));
        Assert.Empty(await Cli.StoredKeysAsync());
    }

    [Fact]
    public async Task A_pg_dump_killed_half_way_fails_its_artifact_and_stores_nothing_of_it()
    {
        // The real pg_dump (exec'd, so the program's own child) writes into a pipe that stops being read
        // after 100 kB: it is then blocked half way through its output until the spec kills it.
        var bin = _dir.CreateDirectory("gated-bin");
        var (ready, go) = (_dir.Combine("ready"), _dir.Combine("go"));
        var realDump = PostgreSqlServer.Tool("pg_dump");
        _dir.WriteExecutable("gated-bin/pg_dump", $$"""
            #!/bin/bash
            case "$*" in *"dbname='shop'"*) ;; *) exec '{{realDump}}' "$@";; esac
            exec '{{realDump}}' "$@" > >(head -c 100000; touch '{{ready}}'; while [ ! -e '{{go}}' ]; do sleep 0.05; done; exec cat)
            """);
        var config = Config("      databases: [shop]");

        using var process = BackupCli.Start(["run", "--config", config, "--json"], environment: OnPath(bin));
        await Poll.UntilAsync(() => File.Exists(ready), "the dump of shop to be half way");
        var pgDump = Assert.Single(ProcFs.WithArgument($"port='{pg.Port}'"),
            p => p.Argv[0] == realDump && p.Argv.Any(a => a.Contains("dbname='shop'", StringComparison.Ordinal)));
        Assert.Equal(process.Id, ProcFs.ParentOf(pgDump.Pid));
        using (var dump = Process.GetProcessById(pgDump.Pid))
            dump.Kill(); // SIGKILL
        File.WriteAllText(go, "");
        var result = await BackupCli.CompleteAsync(process);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        PostgreSqlCli.AssertSays(result.Stderr, "FAILED pg/shop: sources.postgresql.pg shop: pg_dump: sources.postgresql.pg: pg_dump of database 'shop' failed: " +
                                                $"PostgreSQL server 127.0.0.1:{pg.Port} as 'backup', database 'shop': killed by signal 9");
        var keys = await Cli.StoredKeysAsync();
        Assert.DoesNotContain(keys, k => k.StartsWith("pg/shop/", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("pg/server-globals/", StringComparison.Ordinal) && k.EndsWith(".manifest.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_that_allows_no_connections_is_left_out_of_all_databases_and_fails_when_listed()
    {
        var config = _dir.Write("closed.yaml", $"""
            sources:
              postgresql:
                every:
                  all_databases_except_system: true
                  exclude_databases: [template0, template1, shop]
                  globals: false
                  destination: s3-main
            {Cli.Connection(pg)}
                listed:
                  databases: [closed]
                  globals: false
                  destination: s3-main
            {Cli.Connection(pg)}
            {Cli.Destinations}
            """);

        var (exitCode, stderr, artifacts) = await PostgreSqlCli.RunAsync(config);

        Assert.Equal(1, exitCode);
        PostgreSqlCli.AssertSays(stderr, "sources.postgresql.every: left out, as they allow no connections (datallowconn is false): closed");
        Assert.Equal("ok", artifacts["every/side"].GetProperty("status").GetString());
        Assert.Equal("ok", artifacts["every/postgres"].GetProperty("status").GetString());
        Assert.DoesNotContain("every/closed", artifacts.Keys);
        PostgreSqlCli.AssertSays(stderr, $"FAILED listed/closed: sources.postgresql.listed closed: database 'closed' on 127.0.0.1:{pg.Port} as 'backup' " +
                                         "allows no connections (datallowconn is false), so pg_dump cannot read it");
    }

    [Fact]
    public async Task The_password_is_in_no_process_arguments_or_environment_while_a_dump_runs_which_holds_the_lock_and_sigterm_removes_its_file()
    {
        // Another session holds a lock on a table of shop, so pg_dump waits for it with its password file in place.
        var locker = pg.SqlAsync("BEGIN; LOCK TABLE shop.orders IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);", PostgreSqlServer.Shop);
        var lockerPid = await Poll.ForAsync(async () => (await pg.SqlAsync(
            "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%' AND wait_event = 'PgSleep'")).Trim() is { Length: > 0 } pid ? pid : null,
            "the locking session");
        try
        {
            var config = Config("      databases: [shop]\n      globals: false");
            using var process = BackupCli.Start(["run", "--config", config]);
            var pgDump = await Poll.ForAsync(async () => (await pg.SqlAsync(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'shop.orders'::regclass AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", PostgreSqlServer.Shop)).Trim() == "1"
                    ? ProcFs.All().FirstOrDefault(p => p.Argv.Count > 0 && p.Argv[0].EndsWith("/pg_dump", StringComparison.Ordinal)
                                                       && p.Argv.Any(a => a.Contains($"port='{pg.Port}'", StringComparison.Ordinal)))
                    : null,
                "pg_dump to wait for the lock");
            var processes = ProcFs.All();
            var passFile = Encoding.UTF8.GetString(pgDump.RawEnviron).Split('\0')
                .Single(v => v.StartsWith(PgPassFile.Variable + "=", StringComparison.Ordinal))[(PgPassFile.Variable.Length + 1)..];

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passFile));
            Assert.DoesNotContain(Encoding.UTF8.GetString(pgDump.RawEnviron).Split('\0'), v => v.StartsWith("PGPASSWORD=", StringComparison.Ordinal));
            var marker = Encoding.UTF8.GetBytes("o#rd;$x");
            foreach (var p in processes)
            {
                Assert.False(p.RawCmdline.AsSpan().IndexOf(marker) >= 0, $"password in argv of pid {p.Pid}: {string.Join(' ', p.Argv)}");
                Assert.False(p.RawEnviron.AsSpan().IndexOf(marker) >= 0, $"password in the environment of pid {p.Pid}");
            }

            // The source's lock is held meanwhile: a second run of it does not start.
            var second = await BackupCli.RunAsync(["run", "--config", config]);
            Assert.True(second.ExitCode == 75, $"exit {second.ExitCode}: {second.Stderr}");
            PostgreSqlCli.AssertSays(second.Stderr, "LOCKED pg:");

            Tools.Sh($"kill -TERM {process.Id}");
            var result = await BackupCli.CompleteAsync(process);

            Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.False(File.Exists(passFile), $"{passFile} must be removed on SIGTERM");
            Assert.False(Directory.Exists(Path.GetDirectoryName(passFile)), "its private directory too");
        }
        finally
        {
            await pg.SqlAsync($"SELECT pg_terminate_backend({lockerPid})");
            await Assert.ThrowsAsync<InvalidOperationException>(() => locker); // terminated: the session ends in error
        }
    }

    private static Dictionary<string, string?> OnPath(string bin) =>
        new() { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
}
