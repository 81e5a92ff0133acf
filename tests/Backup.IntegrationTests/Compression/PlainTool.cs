using Backup.Core.Processes;

namespace Backup.IntegrationTests.Compression;

/// <summary>Runs a stock tool (gunzip, bzip2, zstd) as a user would, stdin to stdout.</summary>
internal static class PlainTool
{
    public static async Task<byte[]> FilterAsync(string program, string[] arguments, byte[] input)
    {
        using var stdin = new MemoryStream(input);
        using var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create(program, arguments), stdin, stdout, CancellationToken.None);
        Assert.True(outcome.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {outcome.Describe()}");
        return stdout.ToArray();
    }
}
