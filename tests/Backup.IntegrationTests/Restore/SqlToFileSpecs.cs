using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>
/// `backup restore --to-file` writes a regular file of its own or standard output (`-`), nothing else:
/// a missing folder, a symbolic link, a FIFO are usage errors (exit 2) found before anything is
/// written, whatever --force says. A real dump of the real MariaDB, gzip and gpg, through the CLI.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class SqlToFileSpecs(MariaDbServer server) : IAsyncLifetime
{
    private readonly TempDir _dir = new("to-file");
    private GpgTestKeyring _gpg = null!;
    private string _config = null!;

    private string Store => _dir.Combine("store");

    public async Task InitializeAsync()
    {
        _gpg = await GpgTestKeyring.CreateAsync();
        var key = await _gpg.GenerateKeyAsync("DB Backups", "db@example.com");
        _config = _dir.Write("backup.yaml", $"""
            sources:
              mysqldump:
                prod:
                  temp: {_dir.CreateDirectory("temp")}
                  databases: [shop]
                  users: true
                  compress: gzip
                  encryption: gpg-main
                  destination: local
                  host: {MariaDbServer.Host}
                  port: {server.Port}
                  user: {MariaDbServer.User}
                  password_file: {_dir.Write("db-password", MariaDbServer.Password)}
            destinations:
              local:
                method: local
                path: {_dir.CreateDirectory("store")}
            encryptions:
              gpg-main:
                method: gpg
                recipient: {key.Fingerprint}
                gnupg_home: {_gpg.Home}
            """);
        var run = await BackupCli.RunAsync(["run", "--config", _config]);
        Assert.True(run.ExitCode == 0, $"backup: exit {run.ExitCode}: {run.Stderr}");
    }

    public async Task DisposeAsync()
    {
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    private string[] Restore(string toFile, params string[] more) =>
        ["restore", "prod", "shop", "--to-file", toFile, "--config", _config, "--gnupg-home", _gpg.Home, .. more];

    private string Artifact() => Directory.GetFiles(Store, "shop-*.sql.gz.gpg", SearchOption.AllDirectories).Single();

    /// <summary>What a user restoring by hand gets: gpg --decrypt | gunzip of the stored artifact.</summary>
    private byte[] PlainToolsSql()
    {
        var expected = _dir.Combine("expected.sql");
        Tools.Sh($"gpg --batch --quiet --decrypt '{Artifact()}' | gunzip > '{expected}'",
            environment: new Dictionary<string, string> { ["GNUPGHOME"] = _gpg.Home });
        return File.ReadAllBytes(expected);
    }

    private static void AssertUsageError(BackupCli.Result result, string message)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("This is a bug", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    private void AssertNoPartialLeft() =>
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial", SearchOption.AllDirectories));

    [Fact]
    public async Task Into_a_folder_that_does_not_exist_is_a_usage_error_naming_the_folder()
    {
        var folder = _dir.Combine("no/such/folder");

        var result = await BackupCli.RunAsync(Restore(Path.Combine(folder, "shop.sql")));

        AssertUsageError(result, $"folder '{folder}' does not exist; create it first (mkdir -p '{folder}')");
        Assert.False(Directory.Exists(_dir.Combine("no")));
    }

    [Fact]
    public async Task Onto_a_symbolic_link_to_a_file_is_refused_even_with_force_and_the_link_and_its_file_stay()
    {
        var victim = _dir.Write("victim.sql", "keep me");
        var link = _dir.Combine("shop.sql");
        File.CreateSymbolicLink(link, victim);

        var result = await BackupCli.RunAsync(Restore(link, "--force"));

        AssertUsageError(result, $"--to-file '{link}' is a symbolic link (to '{victim}')");
        Assert.Contains("even with --force", result.Stderr);
        Assert.Equal(victim, new FileInfo(link).LinkTarget);
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
        AssertNoPartialLeft();
    }

    [Fact]
    public async Task Onto_a_link_like_dev_stdout_is_refused_pointing_to_dash_and_the_link_stays()
    {
        // /dev/stdout is a link to /proc/self/fd/1; the same link in a folder of the spec's own (never
        // the real one: a restore that replaced it would break /dev/stdout for every process here).
        var link = _dir.Combine("stdout");
        File.CreateSymbolicLink(link, "/proc/self/fd/1");

        var result = await BackupCli.RunAsync(Restore(link, "--force"));

        AssertUsageError(result, $"--to-file '{link}' is a symbolic link (to '/proc/self/fd/1')");
        Assert.Contains("To write the SQL to standard output, use --to-file -", result.Stderr);
        Assert.Equal("/proc/self/fd/1", new FileInfo(link).LinkTarget);
        AssertNoPartialLeft();
    }

    [Fact]
    public async Task Onto_a_fifo_is_refused_before_opening_it_so_it_never_waits_for_a_reader()
    {
        var fifo = _dir.Combine("shop.fifo");
        Tools.Sh($"mkfifo '{fifo}'");

        using var process = BackupCli.Start(Restore(fifo, "--force"));
        var completed = BackupCli.CompleteAsync(process);
        BackupCli.Result result;
        try
        {
            // Opening a FIFO for writing blocks until a reader comes: none ever does here.
            result = await completed.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }

        AssertUsageError(result, $"--to-file '{fifo}' is a FIFO (named pipe), not a regular file");
        Assert.Contains("use --to-file - (standard output)", result.Stderr);
        Assert.Equal("fifo", Tools.Sh($"stat -c %F '{fifo}'").Trim());
        AssertNoPartialLeft();
    }

    [Fact]
    public async Task Dash_streams_exactly_the_sql_gpg_and_gunzip_give_to_standard_output_and_logs_to_stderr()
    {
        // Run in the spec's folder, so that a file named '-' would be seen there.
        var result = await BackupCli.RunBinaryAsync(Restore("-"), workingDirectory: _dir.Path);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(PlainToolsSql(), result.Stdout);
        Assert.Contains("-- Dump completed", System.Text.Encoding.UTF8.GetString(result.Stdout));
        Assert.Contains("wrote prod/shop as of", result.Stderr);
        Assert.Contains("to standard output (checksum verified)", result.Stderr);
        Assert.False(File.Exists(_dir.Combine("-")));
    }

    [Fact]
    public async Task Dash_from_a_tampered_artifact_exits_1_saying_the_output_is_incomplete_or_untrustworthy()
    {
        var artifact = Artifact();
        var bytes = await File.ReadAllBytesAsync(artifact);
        bytes[bytes.Length / 2] ^= 0x55;
        await File.WriteAllBytesAsync(artifact, bytes);

        var result = await BackupCli.RunBinaryAsync(Restore("-"), workingDirectory: _dir.Path);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("SHA-256 of the stored object is", result.Stderr);
        Assert.Contains("the SQL already written to standard output is INCOMPLETE or UNTRUSTWORTHY: discard it", result.Stderr);
        Assert.DoesNotContain("checksum verified", result.Stderr);
        Assert.False(File.Exists(_dir.Combine("-")));
    }

    [Fact]
    public async Task A_new_file_in_an_existing_folder_is_written_0600_and_an_existing_one_only_with_force()
    {
        var file = _dir.Combine("out/shop.sql");
        _dir.CreateDirectory("out");

        var first = await BackupCli.RunAsync(Restore(file));
        var again = await BackupCli.RunAsync(Restore(file));
        var forced = await BackupCli.RunAsync(Restore(file, "--force"));

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(PlainToolsSql(), await File.ReadAllBytesAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        AssertUsageError(again, $"--to-file '{file}' already exists; choose another path or use --force to replace it");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(PlainToolsSql(), await File.ReadAllBytesAsync(file));
        AssertNoPartialLeft();
    }

    [Fact]
    public async Task The_accounts_to_a_symbolic_link_are_refused_as_well()
    {
        var victim = _dir.Write("victim.sql", "keep me");
        var link = _dir.Combine("accounts.sql");
        File.CreateSymbolicLink(link, victim);

        var result = await BackupCli.RunAsync(
            ["restore", "prod", "--users", "--to-file", link, "--force", "--config", _config, "--gnupg-home", _gpg.Home]);

        AssertUsageError(result, $"--to-file '{link}' is a symbolic link (to '{victim}')");
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
    }
}
