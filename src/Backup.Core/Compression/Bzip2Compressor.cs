using Backup.Core.Processes;

namespace Backup.Core.Compression;

/// <summary>
/// bzip2 through the <c>bzip2</c> binary, streaming stdin to stdout. The managed port (SharpZipLib)
/// measured about 2x slower than the binary, and bzip2 is already the slowest choice.
/// </summary>
public sealed class Bzip2Compressor(int level) : ICompressor
{
    public const int DefaultLevel = 9;

    public string Extension => ".bz2";

    public string Name => "bzip2";

    public int Level => level;

    public Task CompressAsync(Stream input, Stream output, CancellationToken ct) =>
        RunAsync(["-c", $"-{level}"], "compress", input, output, ct);

    public Task DecompressAsync(Stream input, Stream output, CancellationToken ct) =>
        RunAsync(["-d", "-c"], "decompress", input, output, ct);

    private static async Task RunAsync(string[] arguments, string what, Stream input, Stream output, CancellationToken ct)
    {
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create("bzip2", arguments), input, output, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"bzip2 failed to {what} ({outcome.Describe()})");
    }
}
