using System.Diagnostics;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>Exit codes say what happened to the work: not the state of stdout, and a typo is a usage error.</summary>
public sealed class ExitCodeSpecs : IDisposable
{
    private readonly TempDir _dir = new("exit-codes");

    public void Dispose() => _dir.Dispose();

    private string Config()
    {
        _dir.Write("data/file.txt", "content");
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_dir.Combine("data")}
                  destination: store
            destinations:
              store:
                method: local
                path: {_dir.CreateDirectory("store")}
            """);
    }

    [Fact]
    public async Task An_unknown_source_is_a_usage_error_and_nothing_runs()
    {
        var result = await BackupCli.RunAsync(["run", "--source", "nope", "--config", Config()]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown source(s): nope; configured: home", result.Stderr);
        Assert.Empty(Directory.GetFiles(_dir.Combine("store"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("home", "", "restoring a directory needs --to DIR")]
    [InlineData("home", "--into x", "is a directory source: restore it with --to DIR")]
    [InlineData("db", "", "restoring a database needs --into NAME (or --to-file PATH)")]
    [InlineData("db", "--to /tmp/x", "is a mysqldump source: restore with --into DATABASE or --to-file FILE")]
    [InlineData("db", "--into a --to-file /tmp/a.sql", "give either --into DATABASE or --to-file FILE, not both")]
    [InlineData("nope", "--to /tmp/x", "unknown source 'nope'")]
    public async Task A_restore_without_a_fitting_target_is_a_usage_error_before_the_store_is_read(string source, string options, string message)
    {
        // The destination cannot be reached: a check made after reading it would fail with exit 1 instead.
        var config = _dir.Write("unreachable.yaml", $"""
            sources:
              directories:
                home: {"{"} path: {_dir.Combine("data")}, destination: s3 {"}"}
              mysqldump:
                db: {"{"} databases: [shop], destination: s3 {"}"}
            destinations:
              s3: {"{"} method: s3, S3_BUCKET: b, endpoint: "http://127.0.0.1:9" {"}"}
            """);

        var result = await BackupCli.RunAsync(["restore", source, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--config", config]);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("127.0.0.1:9", result.Stderr);
    }

    [Fact]
    public async Task A_run_with_its_stdout_closed_stores_the_backup_and_exits_0_saying_the_report_was_not_written()
    {
        var config = Config();
        var info = new ProcessStartInfo("sh") { RedirectStandardError = true };
        // `>&-`, as some wrappers leave it: stdout is no open file at all.
        foreach (var a in new[] { "-c", "exec dotnet \"$0\" run --json --config \"$1\" >&-", Path.Combine(AppContext.BaseDirectory, "backup.dll"), config })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}");
        Assert.DoesNotContain("This is a bug", stderr);
        Assert.Single(Directory.GetFiles(_dir.Combine("store"), "*.manifest.json", SearchOption.AllDirectories));
    }
}

/// <summary>An interrupt while nothing runs yet ends the program at once.</summary>
public sealed class InterruptBeforeWorkSpecs : IDisposable
{
    private readonly TempDir _dir = new("fifo-config");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sigterm_while_waiting_for_a_fifo_config_exits_130_without_the_grace_period()
    {
        var fifo = _dir.Combine("config.yaml");
        Tools.Sh($"mkfifo '{fifo}'");
        using var running = new RunningBackup(["validate", "--config", fifo], new Dictionary<string, string?>());

        // Blocked opening the FIFO, which no one writes: a thread-pool thread waits in the kernel for a
        // partner (the runtime's own debugger pipe thread waits so too, from start-up: not that one).
        await Poll.UntilAsync(() => Directory.EnumerateDirectories($"/proc/{running.Id}/task").Any(task =>
            Read($"{task}/comm").StartsWith(".NET TP Worker", StringComparison.Ordinal) && Read($"{task}/wchan") == "wait_for_partner"),
            "the config read to block on the FIFO");
        Tools.Sh($"kill -TERM {running.Id}");
        var result = await running.CompleteAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("interrupted", result.Stderr);
    }

    private static string Read(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return ""; // the thread ended meanwhile
        }
    }
}
