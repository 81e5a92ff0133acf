using System.Diagnostics;
using Backup.Core;
using Backup.Core.Sources.PostgreSql;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>Every way a PostgreSQL dump can fail is a failure, with a message that says what to check and no secret.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlFailureSpecs(PostgreSqlServer server)
{
    private const string WrongPassword = "wrong:pass\\word-123";

    [Fact]
    public async Task A_wrong_password_fails_the_preflight_as_a_refused_login_without_the_secret()
    {
        var log = new RecordingEventLog();
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Shop), log, server.Client(password: WrongPassword));

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains("sources.postgresql.test:", e.Message);
        Assert.Contains("the login is refused; check 'user' and 'password'", e.Message);
        Assert.Contains("password authentication failed", e.Message);
        foreach (var text in log.Lines.Append(e.Message).Append(e.ToString()))
        {
            Assert.DoesNotContain("wrong", text);
            Assert.DoesNotContain("pass\\word", text);
        }
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_preflight_within_the_connect_timeout()
    {
        var port = LoopbackPort.Free();
        var config = server.Source(PostgreSqlServer.Shop) with { Port = port };
        var source = new PostgreSqlSource(config, new RecordingEventLog(), new PostgreSqlClient(config.Connection, PostgreSqlPrograms.Find()));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port} as 'backup' is unreachable", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(PostgreSqlConnection.ConnectTimeoutSeconds + 5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Refused_extra_args_fail_the_preflight_naming_the_element()
    {
        var config = server.Source(PostgreSqlServer.Shop) with { ExtraArgs = ["--schema-only", "-f", "/tmp/leak.sql"] };
        var source = new PostgreSqlSource(config, new RecordingEventLog(), server.Client());

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains("sources.postgresql.test.extra_args[1]: '-f' (--file) is refused", e.Message);
    }

    [Fact]
    public async Task An_unknown_database_fails_its_check_and_its_dump_naming_it()
    {
        var source = new PostgreSqlSource(server.Source("no_such_db"), new RecordingEventLog(), server.Client());
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        var check = await Assert.ThrowsAsync<BackupException>(() => item.CheckAsync(CancellationToken.None));
        var dump = await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Contains("sources.postgresql.test: database 'no_such_db' does not exist on 127.0.0.1:", check.Message);
        Assert.Contains("check 'databases'", check.Message);
        Assert.Contains("pg_dump of database 'no_such_db' failed: database 'no_such_db' does not exist", dump.Message);
    }

    [Fact]
    public async Task A_database_that_allows_no_connections_is_refused_when_listed_and_left_out_of_all_databases()
    {
        var listed = new PostgreSqlSource(server.Source(PostgreSqlServer.Closed), new RecordingEventLog(), server.Client());
        var item = Assert.Single(await listed.PlanAsync(CancellationToken.None));
        var e = await Assert.ThrowsAsync<BackupException>(() => item.CheckAsync(CancellationToken.None));
        Assert.Contains("database 'closed'", e.Message);
        Assert.Contains("allows no connections (datallowconn is false)", e.Message);

        var log = new RecordingEventLog();
        var all = new PostgreSqlSource(server.Source() with { AllDatabasesExceptSystem = true, Globals = true }, log, server.Client());
        var names = (await all.PlanAsync(CancellationToken.None)).Select(i => i.Name).ToArray();

        Assert.Contains(PostgreSqlServer.Shop, names);
        Assert.Contains(PostgreSqlServer.Side, names);
        Assert.Contains("postgres", names);
        Assert.Equal(GlobalsArtifact.ItemName, names[^1]);
        Assert.DoesNotContain(PostgreSqlServer.Closed, names);
        Assert.DoesNotContain("template0", names);
        Assert.DoesNotContain("template1", names);
        Assert.Contains(log.Lines, l => l.Contains("left out, as they allow no connections (datallowconn is false): closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pg_dump_killed_mid_stream_fails_the_dump()
    {
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Shop) with { Format = PgDumpFormat.Plain }, new RecordingEventLog(), server.Client());
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var gated = new GatedStream(Stream.Null);

        var dump = item.WriteAsync(gated, CancellationToken.None);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(60));
        var pgDump = Assert.Single(ProcFs.WithArgument($"port='{server.Port}'"), p => p.Argv[0].EndsWith("/pg_dump", StringComparison.Ordinal));
        using (var process = Process.GetProcessById(pgDump.Pid))
            process.Kill();
        gated.Open();

        var e = await Assert.ThrowsAsync<BackupException>(() => dump);
        Assert.Contains("pg_dump of database 'shop' failed", e.Message);
        Assert.Contains("killed by signal 9", e.Message);
    }

    [Fact]
    public async Task A_plain_dump_cut_short_by_a_pg_dump_that_exits_0_is_incomplete()
    {
        using var temp = new TempDir("pg-cut");
        // The real pg_dump, its output cut after 200 kB by head (pg_dump then dies of SIGPIPE), and the wrapper says 0.
        var wrapper = DummyProgram.Create(temp, "pg_dump",
            $"case \"$1\" in --version) exec '{PostgreSqlServer.Tool("pg_dump")}' --version;; esac\n" +
            $"'{PostgreSqlServer.Tool("pg_dump")}' \"$@\" | head -c 200000\nexit 0");
        var client = server.Client(programs: PostgreSqlPrograms.Find(temp.Path) with { PgDump = wrapper });
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Shop) with { Format = PgDumpFormat.Plain }, new RecordingEventLog(), client);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        var e = await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Contains("pg_dump of database 'shop' ended after 200000 bytes without its '-- PostgreSQL database dump complete' line", e.Message);
    }

    [Fact]
    public async Task A_custom_dump_of_a_pg_dump_that_exits_0_without_an_archive_fails()
    {
        using var temp = new TempDir("pg-noarchive");
        var wrapper = DummyProgram.Create(temp, "pg_dump",
            $"case \"$1\" in --version) exec '{PostgreSqlServer.Tool("pg_dump")}' --version;; esac\necho 'not an archive'\nexit 0");
        var client = server.Client(programs: PostgreSqlPrograms.Find() with { PgDump = wrapper });
        var item = Assert.Single(await new PostgreSqlSource(server.Source(PostgreSqlServer.Shop), new RecordingEventLog(), client)
            .PlanAsync(CancellationToken.None));

        var e = await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Contains("exited 0 but wrote no custom archive", e.Message);
    }

    [Fact]
    public async Task A_pg_dump_older_than_the_server_is_refused_before_anything_runs_naming_both_versions()
    {
        using var temp = new TempDir("pg-old");
        var calls = temp.Combine("calls");
        var wrapper = DummyProgram.Create(temp, "pg_dump",
            $"echo \"$*\" >> '{calls}'\n" +
            "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) 13.4 (Debian 13.4-1)'; exit 0;; esac\n" +
            $"exec '{PostgreSqlServer.Tool("pg_dump")}' \"$@\"");
        var client = server.Client(programs: PostgreSqlPrograms.Find() with { PgDump = wrapper });
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Shop), new RecordingEventLog(), client);

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PlanAsync(CancellationToken.None));

        Assert.Contains($"sources.postgresql.test: {wrapper} is version 13.4, older than the PostgreSQL server 127.0.0.1:{server.Port}", e.Message);
        Assert.Matches(@"which runs 15\.\d+: pg_dump cannot dump a newer server", e.Message);
        Assert.Contains("postgresql-client-15", e.Message);
        Assert.Equal(["--version"], await File.ReadAllLinesAsync(calls));
    }

    [Fact]
    public async Task A_login_that_is_no_superuser_gets_the_globals_without_password_hashes_and_a_warning()
    {
        const string role = "globals_reader";
        const string password = "reader:pw";
        await server.SqlAsync($"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD {PostgreSqlServer.Literal(password)}");
        try
        {
            var config = server.Source(PostgreSqlServer.Side) with { User = role, Password = new Backup.Core.Configuration.Secret(password), Globals = true };
            var log = new RecordingEventLog();
            var source = new PostgreSqlSource(config, log, new PostgreSqlClient(config.Connection, PostgreSqlPrograms.Find()));
            var globals = (await source.PlanAsync(CancellationToken.None))[^1];
            var output = new MemoryStream();

            await globals.CheckAsync(CancellationToken.None);
            await globals.WriteAsync(output, CancellationToken.None);

            var script = System.Text.Encoding.UTF8.GetString(output.ToArray());
            Assert.Contains($"CREATE ROLE {PostgreSqlServer.AppOwner};", script);
            Assert.DoesNotContain("SCRAM-SHA-256", script);
            Assert.Contains("--no-role-passwords", Assert.Single(globals.Warnings));
            Assert.Contains(log.Warnings, w => w.Contains("no superuser", StringComparison.Ordinal));
        }
        finally
        {
            await server.SqlAsync($"DROP ROLE IF EXISTS {role}");
        }
    }
}
