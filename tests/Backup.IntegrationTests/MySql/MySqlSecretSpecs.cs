using System.Text;
using Backup.Core;
using Backup.Core.Sources;
using Backup.Core.Sources.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

[Collection(MariaDbCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MySqlSecretSpecs(MariaDbServer server)
{
    // Present in the password both as typed and as escaped in the option file.
    private static readonly byte[] PasswordMarker = Encoding.UTF8.GetBytes("o#rd;$x");

    [Fact]
    public async Task The_password_is_in_no_process_arguments_or_environment_while_a_dump_runs()
    {
        using var temp = new TempDir("secret-scan");
        var secrets = temp.CreateDirectory("secrets");
        var item = await PlanOneAsync("bulk", secrets);
        var gated = new GatedStream(Stream.Null);

        var dump = item.WriteAsync(gated, CancellationToken.None);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(30));
        var processes = ProcFs.All();
        var optionFileModes = Directory.GetFiles(secrets, "*", SearchOption.AllDirectories).Select(File.GetUnixFileMode).ToArray();
        gated.Open();
        await dump;

        var mysqldump = Assert.Single(processes, p => p.Argv.Any(a => a.StartsWith(MySqlOptionFile.ArgumentPrefix + secrets)));
        Assert.StartsWith(MySqlOptionFile.ArgumentPrefix, mysqldump.Argv[1]);
        Assert.Contains(processes, p => p.RawEnviron.Length > 0);
        foreach (var process in processes)
        {
            Assert.False(Contains(process.RawCmdline, PasswordMarker), $"password in argv of pid {process.Pid}: {string.Join(' ', process.Argv)}");
            Assert.False(Contains(process.RawEnviron, PasswordMarker), $"password in environment of pid {process.Pid}");
        }

        Assert.Equal([UnixFileMode.UserRead | UnixFileMode.UserWrite], optionFileModes);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_option_file_is_gone_after_a_successful_dump()
    {
        using var temp = new TempDir("secret-ok");
        var secrets = temp.CreateDirectory("secrets");
        var item = await PlanOneAsync("my-db", secrets);

        await item.WriteAsync(Stream.Null, CancellationToken.None);

        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_option_file_is_gone_after_a_failed_dump()
    {
        using var temp = new TempDir("secret-fail");
        var secrets = temp.CreateDirectory("secrets");
        var item = await PlanOneAsync("no_such_db", secrets);

        await Assert.ThrowsAsync<BackupException>(() => item.WriteAsync(Stream.Null, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_option_file_and_mysqldump_are_gone_after_a_cancelled_dump()
    {
        using var temp = new TempDir("secret-cancel");
        var secrets = temp.CreateDirectory("secrets");
        var item = await PlanOneAsync("bulk", secrets);
        var gated = new GatedStream(Stream.Null);
        using var cts = new CancellationTokenSource();

        var dump = item.WriteAsync(gated, cts.Token);
        await gated.FirstWrite.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(secrets));
        await cts.CancelAsync();
        gated.Open();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dump);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
        Assert.DoesNotContain(ProcFs.WithArgument(secrets), p => ProcFs.IsRunning(p.Pid));
    }

    private async Task<IBackupItem> PlanOneAsync(string database, string secrets)
    {
        var source = new MySqlSource(server.Source(database), new RecordingEventLog(), server.Client(secrets));
        await source.PreflightAsync(CancellationToken.None);
        return Assert.Single(await source.PlanAsync(CancellationToken.None));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
