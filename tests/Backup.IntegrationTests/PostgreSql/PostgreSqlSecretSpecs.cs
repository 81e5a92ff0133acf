using System.Text;
using Backup.Core.Sources.PostgreSql;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>
/// The password is in no process's argv or environment while a dump runs (what any local user, or
/// root, can read in /proc), only in a 0600 password file that is gone when the client is.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlSecretSpecs(PostgreSqlServer server)
{
    // In the password as typed and as escaped in the password file.
    private static readonly byte[] PasswordMarker = Encoding.UTF8.GetBytes("o#rd;$x");

    [Theory]
    [InlineData(PgDumpFormat.Custom)]
    [InlineData(PgDumpFormat.Plain)]
    public async Task The_password_is_in_no_process_arguments_or_environment_while_a_dump_runs(PgDumpFormat format)
    {
        using var temp = new TempDir("pg-secret-scan");
        var secrets = temp.CreateDirectory("secrets");
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Shop) with { Format = format }, new RecordingEventLog(), server.Client(secrets));
        var item = Assert.Single(await source.PlanAsync(CancellationToken.None));
        var gated = new GatedStream(Stream.Null);

        var dump = item.WriteAsync(gated, CancellationToken.None);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(60));
        var processes = ProcFs.All();
        var passFiles = Directory.GetFiles(secrets, "*", SearchOption.AllDirectories);
        var modes = passFiles.Select(File.GetUnixFileMode).ToArray();
        gated.Open();
        await dump;

        var pgDump = Assert.Single(processes, p => p.Argv.Count > 0 && p.Argv[0].EndsWith("/pg_dump", StringComparison.Ordinal)
                                                   && p.Argv.Any(a => a.Contains($"port='{server.Port}'", StringComparison.Ordinal)));
        var environment = Encoding.UTF8.GetString(pgDump.RawEnviron).Split('\0');
        Assert.Contains($"{PgPassFile.Variable}={passFiles.Single()}", environment);
        Assert.DoesNotContain(environment, v => v.StartsWith("PGPASSWORD=", StringComparison.Ordinal));
        foreach (var process in processes)
        {
            Assert.False(Contains(process.RawCmdline, PasswordMarker), $"password in argv of pid {process.Pid}: {string.Join(' ', process.Argv)}");
            Assert.False(Contains(process.RawEnviron, PasswordMarker), $"password in environment of pid {process.Pid}");
        }

        Assert.Equal([UnixFileMode.UserRead | UnixFileMode.UserWrite], modes);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_password_file_is_gone_after_a_failed_and_after_a_cancelled_dump()
    {
        using var temp = new TempDir("pg-secret-gone");
        var secrets = temp.CreateDirectory("secrets");
        var failing = Assert.Single(await new PostgreSqlSource(server.Source("no_such_db"), new RecordingEventLog(), server.Client(secrets))
            .PlanAsync(CancellationToken.None));
        await Assert.ThrowsAsync<Backup.Core.BackupException>(() => failing.WriteAsync(Stream.Null, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));

        var item = Assert.Single(await new PostgreSqlSource(server.Source(PostgreSqlServer.Shop), new RecordingEventLog(), server.Client(secrets))
            .PlanAsync(CancellationToken.None));
        var gated = new GatedStream(Stream.Null);
        using var cancel = new CancellationTokenSource();
        var dump = item.WriteAsync(gated, cancel.Token);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(secrets));
        await cancel.CancelAsync();
        gated.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dump);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
