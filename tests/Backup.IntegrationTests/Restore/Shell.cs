using System.Text;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Restore;

/// <summary>Runs a helper program for a spec and fails the spec with its output when it fails.</summary>
public static partial class Shell
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

    /// <summary>
    /// Byte-for-byte tree comparison, symbolic links compared as links. diff cannot compare FIFOs and
    /// device nodes and says so; that line is no difference when both sides are of the same kind
    /// (which <see cref="Support.TreeListing"/> checks with the rest of the metadata).
    /// </summary>
    public static async Task AssertSameTreeAsync(string expected, string actual)
    {
        var (code, output) = await RunAsync("diff", "-r", "--no-dereference", expected, actual);
        var differences = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !SameSpecialFile().IsMatch(line)).ToList();
        Assert.True(code == 0 || (code is 1 or 2 && differences.Count == 0), $"restored tree differs from the original:\n{string.Join('\n', differences)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^File .+ is a (fifo|character special file|block special file|socket) while file .+ is a \1$")]
    private static partial System.Text.RegularExpressions.Regex SameSpecialFile();
}
