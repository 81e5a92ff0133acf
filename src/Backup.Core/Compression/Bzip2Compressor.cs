using Backup.Core.Processes;

namespace Backup.Core.Compression;

/// <summary>
/// bzip2 through the <c>bzip2</c> binary, streaming stdin to stdout. The managed port (SharpZipLib)
/// measured about 2x slower than the binary, and bzip2 is already the slowest choice.
/// </summary>
public sealed class Bzip2Compressor(int level) : ICompressor, IProgramStage
{
    public const int DefaultLevel = 9;

    public string Extension => ".bz2";

    public string Name => "bzip2";

    public int Level => level;

    public Task CompressAsync(Stream input, Stream output, CancellationToken ct) =>
        ProgramStep.RunAsync(this, input, output, ct);

    public Task DecompressAsync(Stream input, Stream output, CancellationToken ct) =>
        ProgramStep.RunAsync(new Program(["-d", "-c"], "decompress"), input, output, ct);

    /// <summary>The compressing program, which the pipeline may join to tar and gpg by OS pipes.</summary>
    public Task<ProgramStep> PrepareAsync(CancellationToken ct) => new Program(["-c", $"-{level}"], "compress").PrepareAsync(ct);

    private sealed class Program(string[] arguments, string what) : IProgramStage
    {
        public Task<ProgramStep> PrepareAsync(CancellationToken ct) => Task.FromResult(new ProgramStep(
            ChildProcess.Create("bzip2", arguments),
            outcome => outcome.ExitCode == 0 ? null : throw new BackupException($"bzip2 failed to {what} ({outcome.Describe()})")));
    }
}
