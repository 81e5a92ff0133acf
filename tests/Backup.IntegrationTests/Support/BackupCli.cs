using System.Diagnostics;

namespace Backup.IntegrationTests.Support;

/// <summary>Runs the real `backup` program (built beside the specs) as a user would, as a child process.</summary>
public static class BackupCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Process Start(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
    {
        // Through `env --default-signal` (it execs, so the pid is the program's): a test run started in
        // the background of a non-interactive shell inherits SIGINT and SIGQUIT ignored, and a program
        // rightly keeps an ignored signal ignored; the program must start as from a terminal.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepoRoot.Path,
        };
        info.ArgumentList.Add("--default-signal");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "backup.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            info.Environment[k] = v;
        return Process.Start(info)!;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
    {
        using var process = Start(args, workingDirectory, environment);
        return await CompleteAsync(process);
    }

    /// <summary>Standard output as the bytes the program wrote (a restore to <c>--to-file -</c>), read from a pipe.</summary>
    public sealed record BinaryResult(int ExitCode, byte[] Stdout, string Stderr);

    public static async Task<BinaryResult> RunBinaryAsync(IEnumerable<string> args, string? workingDirectory = null)
    {
        using var process = Start(args, workingDirectory);
        var stdout = new MemoryStream();
        var copied = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await copied;
        return new BinaryResult(process.ExitCode, stdout.ToArray(), await stderr);
    }

    public static async Task<Result> CompleteAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
