using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlFailureSpecs(MariaDbServer server)
{
    [Fact]
    public async Task A_wrong_password_fails_preflight_as_access_denied()
    {
        var config = server.Source("shop") with { Password = new Secret("wrong-password-123") };
        var source = new MySqlSource(config, new RecordingEventLog());

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains("sources.mysqldump.test", e.Message);
        Assert.Contains("access denied", e.Message);
        Assert.DoesNotContain("wrong-password-123", e.Message);
    }

    [Fact]
    public async Task An_unreachable_server_fails_preflight_within_the_connect_timeout()
    {
        var config = server.Source("shop") with { Port = UnusedPort() };
        var source = new MySqlSource(config, new RecordingEventLog());
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains("unreachable", e.Message);
        Assert.Contains($"127.0.0.1:{config.Port}", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(MySqlClient.ConnectTimeoutSeconds + 5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Extra_args_without_the_completion_line_fail_preflight()
    {
        var config = server.Source("shop") with { ExtraArgs = ["--skip-comments"] };
        var source = new MySqlSource(config, new RecordingEventLog());

        var e = await Assert.ThrowsAsync<BackupException>(() => source.PreflightAsync(CancellationToken.None));

        Assert.Contains("sources.mysqldump.test.extra_args", e.Message);
        Assert.Contains("--skip-comments", e.Message);
    }

    [Fact]
    public async Task An_unknown_database_fails_the_dump_naming_it()
    {
        var source = new MySqlSource(server.Source("no_such_db"), new RecordingEventLog());
        await source.PreflightAsync(CancellationToken.None);
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        var e = await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Contains("'no_such_db'", e.Message);
        Assert.Contains("Unknown database", e.Message);
    }

    [Fact]
    public async Task A_mysqldump_killed_mid_stream_fails_the_dump()
    {
        using var temp = new TempDir("killed");
        var secrets = temp.CreateDirectory("secrets");
        var source = new MySqlSource(server.Source("bulk"), new RecordingEventLog(), server.Client(secrets));
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var gated = new GatedStream(Stream.Null);

        var dump = item.WriteAsync(gated, CancellationToken.None);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(30));
        var mysqldump = Assert.Single(ProcFs.WithArgument(secrets));
        using (var process = Process.GetProcessById(mysqldump.Pid))
            process.Kill(); // SIGKILL
        gated.Open();

        var e = await Assert.ThrowsAsync<BackupException>(() => dump);
        Assert.Contains("'bulk'", e.Message);
        Assert.Contains("killed by signal 9", e.Message);
    }

    [Fact]
    public async Task A_dump_without_its_completion_line_is_reported_as_incomplete()
    {
        // Bypasses preflight, which would refuse --skip-comments, to reach the trailer check itself.
        var flavour = await MySqlClient.DetectDumpFlavourAsync(CancellationToken.None);
        var item = new MySqlDumpItem("sources.mysqldump.test", "my-db", server.Client(),
            _ => MySqlDumpArguments.Build(flavour, true, ["--skip-comments"], "my-db"), HistoryDumping.None, new RecordingEventLog());

        var e = await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Contains("'my-db'", e.Message);
        Assert.Contains("incomplete", e.Message);
    }

    [Fact]
    public async Task An_output_that_fails_stops_mysqldump_and_fails_the_dump()
    {
        using var temp = new TempDir("broken-output");
        var secrets = temp.CreateDirectory("secrets");
        var source = new MySqlSource(server.Source("bulk"), new RecordingEventLog(), server.Client(secrets));
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));

        await Assert.ThrowsAnyAsync<Exception>(() => item.WriteAsync(new BrokenStream(), CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
        Assert.DoesNotContain(ProcFs.WithArgument(secrets), p => ProcFs.IsRunning(p.Pid));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
