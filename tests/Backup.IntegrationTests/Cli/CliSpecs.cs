using System.Text.Json;
using Backup.IntegrationTests.MySql;
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
    public async Task Validate_reports_a_missing_source_path_while_run_fails_that_source_alone_and_list_still_works()
    {
        _dir.Write("data/a.txt", "a");
        var store = _dir.CreateDirectory("store");
        var config = _dir.Write("c.yaml", $"""
            sources:
              directories:
                gone: {"{"} path: {_dir.Combine("not-mounted")}, destination: local {"}"}
                here: {"{"} path: {_dir.Combine("data")}, destination: local {"}"}
            destinations:
              local: {"{"} method: local, path: {store} {"}"}
            """);

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);
        var list = await BackupCli.RunAsync(["list", "--config", config]);

        Assert.True(validate.ExitCode == 2, $"exit {validate.ExitCode}: {validate.Stdout}{validate.Stderr}");
        Assert.Contains($"sources.directories.gone.path (line 3): directory '{_dir.Combine("not-mounted")}' does not exist", validate.Stderr);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED gone", run.Stderr);
        Assert.Single(Directory.GetFiles(Path.Combine(store, "here"), "*.tar", SearchOption.AllDirectories));
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("1 artifact(s)", list.Stderr);
    }

    [Fact]
    public async Task The_quickstart_backs_up_the_examples_folder_to_a_local_destination()
    {
        // The example as shipped, but storing into this spec's own folder: /tmp/backup-quickstart is
        // shared with every other checkout and run on the host.
        const string sharedStore = "path: /tmp/backup-quickstart ";
        var example = File.ReadAllText(Path.Combine(RepoRoot.Path, "examples", "quickstart.yaml"));
        Assert.Contains(sharedStore, example);
        var store = _dir.CreateDirectory("store");
        var config = _dir.Write("quickstart.yaml", example.Replace(sharedStore, $"path: {store} "));

        var result = await BackupCli.RunAsync(["--config", config]); // from the repository root, as the README says

        Assert.True(result.ExitCode == 0, result.Stderr);
        var archive = Directory.GetFiles(Path.Combine(store, "quickstart", "examples"), "*.tar.gz").Single();
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
        Assert.Equal(["run", "validate", "list", "verify", "restore", "prune", "status", "daemon"], listing.Select(l => l.Trim().Split(' ')[0]));
        Assert.DoesNotContain("Examples:", root.Stdout);
        Assert.Contains("Examples:", run.Stdout);
        Assert.Contains("backup run --dry-run", run.Stdout);
    }

    [Fact]
    public async Task The_restore_help_has_each_kinds_part_and_names_the_kinds_an_option_is_for()
    {
        var help = await BackupCli.RunAsync(["restore", "--help"]);

        Assert.True(help.ExitCode == 0, help.Stderr);
        Assert.Contains("mysqldump: into the database --into", help.Stdout);
        Assert.Contains("directories: the full archive and then each incremental", help.Stdout);
        Assert.Contains("backup restore prod --users --force", help.Stdout);
        Assert.Matches(@"--into <DATABASE>\s+mysqldump, postgresql: the database to restore into", help.Stdout);
        Assert.Contains("postgresql: into the database --into", help.Stdout);
        Assert.Matches(@"--globals\s+postgresql: the roles and tablespaces of 'globals: true'", help.Stdout);
        Assert.Contains("backup restore pg --globals --force", help.Stdout);
        Assert.Matches(@"--to <DIR>\s+directories: the target directory", help.Stdout);
        Assert.Matches(@"--force\s+Restore over a non-empty target", help.Stdout);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    [InlineData("QUIT")]
    [InlineData("INT")]
    public async Task A_stop_signal_mid_upload_exits_130_and_leaves_no_partial_file(string signal)
    {
        _dir.Write("data/a.txt", "a");
        var store = _dir.CreateDirectory("store");
        var config = _dir.Write("c.yaml", $"""
            sources:
              directories:
                slow: {"{"} path: {_dir.Combine("data")}, compress: gzip, destination: local {"}"}
            destinations:
              local: {"{"} method: local, path: {store} {"}"}
            """);
        // The real tar writes the archive, then its stand-in hangs with the pipe still open (as on a
        // stalled NFS mount): the upload has begun and cannot end before the signal, however slow the host.
        var realTar = Tools.Sh("command -v tar").Trim();
        var hangingPid = _dir.Combine("tar.pid");
        DummyProgram.Create(_dir, "bin/tar", $"echo $$ > '{hangingPid}'\n'{realTar}' \"$@\"\nexec sleep 600");
        int? HangingTar() => File.Exists(hangingPid) && int.TryParse(File.ReadAllText(hangingPid), out var pid) ? pid : null;
        var path = $"{_dir.Combine("bin")}:{Environment.GetEnvironmentVariable("PATH")}";

        using var process = BackupCli.Start(["run", "--config", config], environment: new Dictionary<string, string?> { ["PATH"] = path });
        var completion = BackupCli.CompleteAsync(process);
        try
        {
            await Poll.UntilAsync(() => HangingTar() is not null && Directory.EnumerateFiles(store, "*.partial", SearchOption.AllDirectories).Any(),
                "tar and the upload to start");
            Tools.Sh($"kill -{signal} {process.Id}");
            var result = await completion;

            Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.Contains("interrupted", result.Stderr);
            Assert.Empty(Directory.GetFiles(store, "*", SearchOption.AllDirectories));
            Assert.False(ProcFs.IsRunning(HangingTar()!.Value), "the hanging tar must have been killed");
        }
        finally
        {
            // A process that died of the signal could not kill its tar: do not leave it to hang for 10 minutes.
            if (HangingTar() is { } pid && ProcFs.IsRunning(pid))
                Tools.Sh($"kill -KILL {pid}");
        }
    }
}
