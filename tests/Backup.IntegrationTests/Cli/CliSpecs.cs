using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>The `backup` program as a user meets it: exit codes, messages, the quickstart.</summary>
public sealed class CliSpecs : IDisposable
{
    private readonly TempDir _dir = new("cli");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_bad_config_exits_2_naming_the_yaml_path_and_line_without_a_stack_trace()
    {
        var config = _dir.Write("bad.yaml", """
            sources:
              directories:
                home:
                  path: /tmp
                  compres: gzip
                  destination: s3-man
            destinations:
              s3-main:
                method: s3
                S3_BUCKET: b
            """);

        var result = await BackupCli.RunAsync(["run", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sources.directories.home.compres", result.Stderr);
        Assert.Contains("did you mean 'compress'", result.Stderr);
        Assert.Contains("s3-man", result.Stderr);
        Assert.Contains("line ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task A_missing_config_file_is_a_config_error()
    {
        var result = await BackupCli.RunAsync(["validate", "--config", _dir.Combine("nope.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.yaml", result.Stderr);
    }

    [Fact]
    public async Task The_quickstart_backs_up_the_examples_folder_to_a_local_destination()
    {
        Directory.CreateDirectory("/tmp/backup-quickstart"); // the README's command makes it too
        var result = await BackupCli.RunAsync(["--config", "examples/quickstart.yaml"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var archive = Directory.GetFiles("/tmp/backup-quickstart/quickstart/examples", "*.tar.gz").Max()!;
        var listing = Tools.Sh($"gunzip -c '{archive}' | tar -t");
        Assert.Contains("examples/quickstart.yaml", listing);
    }

    [Fact]
    public async Task Run_with_json_prints_a_report_on_stdout_and_help_lists_the_exit_codes()
    {
        _dir.Write("data/a.txt", "a");
        var store = _dir.CreateDirectory("store");
        var config = _dir.Write("c.yaml", $"""
            sources:
              directories:
                home: {"{"} path: {_dir.Combine("data")}, compress: zstd, destination: local {"}"}
            destinations:
              local: {"{"} method: local, path: {store} {"}"}
            """);

        var run = await BackupCli.RunAsync(["run", "--config", config, "--json"]);
        var help = await BackupCli.RunAsync(["run", "--help"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var report = JsonDocument.Parse(run.Stdout);
        var artifact = report.RootElement.GetProperty("artifacts")[0];
        Assert.Equal("ok", artifact.GetProperty("status").GetString());
        Assert.EndsWith(".tar.zst", artifact.GetProperty("key").GetString());
        Assert.Equal(64, artifact.GetProperty("sha256").GetString()!.Length);
        Assert.Contains("130", help.Stdout);
    }

    [Fact]
    public async Task The_root_help_lists_each_command_on_one_line_and_each_command_keeps_its_examples()
    {
        var root = await BackupCli.RunAsync(["--help"]);
        var run = await BackupCli.RunAsync(["run", "--help"]);

        Assert.True(root.ExitCode == 0, root.Stderr);
        var listing = root.Stdout.Split('\n').SkipWhile(l => l.Trim() != "Commands:").Skip(1)
            .TakeWhile(l => l.Trim().Length > 0).ToArray();
        Assert.Equal(["run", "validate", "list", "verify", "restore"], listing.Select(l => l.Trim().Split(' ')[0]));
        Assert.DoesNotContain("Examples:", root.Stdout);
        Assert.Contains("Examples:", run.Stdout);
        Assert.Contains("backup run --dry-run", run.Stdout);
    }

    [Fact]
    public async Task Sigterm_mid_run_exits_130_and_leaves_nothing_under_the_final_name()
    {
        _dir.CreateDirectory("data");
        File.WriteAllBytes(_dir.Combine("data", "big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(150_000_000));
        var store = _dir.CreateDirectory("store");
        var config = _dir.Write("c.yaml", $"""
            sources:
              directories:
                big: {"{"} path: {_dir.Combine("data")}, compress: gzip, destination: local {"}"}
            destinations:
              local: {"{"} method: local, path: {store} {"}"}
            """);

        using var process = BackupCli.Start(["run", "--config", config]);
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains(" start big/data"))
        {
        }

        await Task.Delay(300);
        Tools.Sh($"kill -TERM {process.Id}");
        var result = await BackupCli.CompleteAsync(process);

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("interrupted", result.Stderr);
        Assert.Empty(Directory.GetFiles(store, "*", SearchOption.AllDirectories));
    }
}
