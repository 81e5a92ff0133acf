using System.Text;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Restore;

/// <summary>Runs a helper program for a spec and fails the spec with its output when it fails.</summary>
public static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        using var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create(program, args), null, stdout, CancellationToken.None);
        return (outcome.ExitCode, Encoding.UTF8.GetString(stdout.ToArray()) + outcome.Stderr);
    }

    public static async Task MustAsync(string program, params string[] args)
    {
        var (code, output) = await RunAsync(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)} failed ({code}): {output}");
    }

    /// <summary>Byte-for-byte tree comparison, symbolic links compared as links.</summary>
    public static async Task AssertSameTreeAsync(string expected, string actual)
    {
        var (code, output) = await RunAsync("diff", "-r", "--no-dereference", expected, actual);
        Assert.True(code == 0, $"restored tree differs from the original:\n{output}");
    }
}
