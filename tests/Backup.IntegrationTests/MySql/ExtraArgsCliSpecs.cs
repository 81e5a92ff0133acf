using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

/// <summary>
/// The real program refuses bypass spellings of extra_args in validate and in run alike, at the
/// element's YAML path and line, before anything is dumped, written or uploaded.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ExtraArgsCliSpecs(MariaDbServer server) : IDisposable
{
    private readonly TempDir _dir = new("extra-args-cli");

    public void Dispose() => _dir.Dispose();

    private string Config(string extraArgs) => _dir.Write("backup.yaml", $"""
        sources:
          mysqldump:
            prod:
              temp: {_dir.CreateDirectory("temp")}
              databases: [shop]
              destination: local
              host: {MariaDbServer.Host}
              port: {server.Port}
              user: {MariaDbServer.User}
              password_file: {_dir.Write("db-password", MariaDbServer.Password)}
              extra_args:
        {extraArgs}
        destinations:
          local:
            method: local
            path: {_dir.CreateDirectory("store")}
        """);

    [Theory]
    [InlineData("-vB", "'-B' (mysqldump reads it as --databases)")]
    [InlineData("--loose-all-databases", "'--loose-all-databases' (mysqldump reads it as --all-databases)")]
    [InlineData("-vpSECRET", "'-p' (mysqldump reads it as --password)")]
    [InlineData("--loose-password=SECRET", "'--loose-password' (mysqldump reads it as --password)")]
    public async Task Validate_and_run_refuse_a_bypass_spelling_at_its_path_and_line(string arg, string message)
    {
        var config = Config($"        - --single-transaction\n        - {arg}");

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);

        foreach (var result in new[] { validate, run })
        {
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
            Assert.Contains($"sources.mysqldump.prod.extra_args[1] (line 13): {message}", result.Stderr);
            Assert.DoesNotContain("SECRET", result.Stderr + result.Stdout);
            Assert.DoesNotContain("   at ", result.Stderr);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Combine("store")));
    }

    [Fact]
    public async Task A_result_file_in_a_bundle_is_refused_and_no_plain_dump_is_left_on_disk()
    {
        var plain = _dir.Combine("plain.sql");
        var config = Config($"        - -vr\n        - {plain}");

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);

        Assert.Equal(2, validate.ExitCode);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sources.mysqldump.prod.extra_args[0] (line 12): '-r' (mysqldump reads it as --result-file) writes the dump somewhere else", run.Stderr);
        Assert.False(File.Exists(plain));
    }

    [Fact]
    public async Task Run_refuses_an_option_the_installed_client_does_not_know_before_dumping()
    {
        var config = Config("        - --set-gtid-purged=OFF");

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);

        Assert.True(validate.ExitCode == 0, validate.Stderr);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("sources.mysqldump.prod.extra_args[0]: '--set-gtid-purged' is not an option of mariadb-dump", run.Stderr);
        // The source's lock may leave its folder behind, never a file.
        Assert.Empty(Directory.GetFiles(_dir.Combine("store"), "*", SearchOption.AllDirectories));
    }
}
