using ZstdSharp;
using Backup.Core.Processes;

namespace Backup.Core.Compression;

/// <summary>
/// zstd: compression by the <c>zstd</c> binary (<c>-T0</c>, one worker per core), decompression in
/// process by ZstdSharp (a managed port of libzstd), so verify and restore need no binary. Frames are
/// standard either way; <c>zstd -d</c> reads ours and we read its.
/// </summary>
/// <remarks>
/// Why the binary for compression: measured 2026-11-26 on the 2-core benchmark machine, 613 MiB of
/// /usr/share/dotnet through tar → zstd -3 → gpg → s3rver, two runs each: ZstdSharp with 2 workers
/// 7.9–8.2 s and 201–205 MB peak RSS; the binary 7.5–7.8 s and 144–145 MB (native code needs about half
/// the CPU of the managed port, and its job buffers live in its own process). An earlier measurement
/// of compression alone into a file had found ZstdSharp as fast as the binary, but in the full
/// pipeline the other stages need that CPU.
/// </remarks>
public sealed class ZstdCompressor(int level) : ICompressor, IProgramStage
{
    public const int DefaultLevel = 3;

    public string Extension => ".zst";

    public string Name => "zstd";

    public int Level => level;

    public Task CompressAsync(Stream input, Stream output, CancellationToken ct) =>
        ProgramStep.RunAsync(this, input, output, ct);

    /// <summary>The compressing program, which the pipeline may join to tar and gpg by OS pipes.</summary>
    public Task<ProgramStep> PrepareAsync(CancellationToken ct) => Task.FromResult(new ProgramStep(
        // --check (the default) adds a checksum per frame, so `zstd -t` and our restore detect corruption.
        ChildProcess.Create("zstd", ["-q", "-c", $"-{level}", "-T0", "--check"]),
        outcome => outcome.ExitCode == 0 ? null : throw new BackupException($"zstd failed to compress ({outcome.Describe()})")));

    public async Task DecompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        // checkEndOfStream: a truncated artifact must fail, not restore silently short.
        await using var zstd = new DecompressionStream(input, Compressors.BufferSize, checkEndOfStream: true, leaveOpen: true);
        try
        {
            await zstd.CopyToAsync(output, Compressors.BufferSize, ct);
        }
        catch (Exception e) when (e is ZstdException or EndOfStreamException)
        {
            throw new BackupException($"zstd: the data is not valid zstd (corrupt or truncated): {e.Message}", e);
        }
    }
}
