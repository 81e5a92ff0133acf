using System.Buffers;
using System.IO.Compression;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Backup.Core.Compression;

/// <summary>
/// gzip in process, pigz-style: the input is cut into <see cref="ChunkSize"/> chunks that are
/// compressed on all cores at once, each into its own gzip member, and written in order. The
/// runtime's GZipStream is backed by zlib-ng (about 2x faster here than GNU gzip at the same level);
/// a multi-member file is plain RFC 1952 that <c>gunzip</c>, <c>pigz -d</c> and GZipStream read whole.
/// </summary>
/// <remarks>
/// Why parallel: with one thread gzip was the slowest stage by far (about 50 MB/s of tar at level 6 on
/// the 2-core benchmark machine) and left the second core idle while tar, gpg and the upload waited.
/// Each member starts with an empty dictionary: with 1 MiB chunks that costs about 0.2% of size
/// (measured with zlib on /usr/share/dotnet; 4 MiB: 0.07%). Memory: about 2 × ChunkSize per chunk in flight.
/// </remarks>
public sealed class GzipCompressor(int level) : ICompressor
{
    /// <summary>A compressor that uses the runtime's GZipStream even where libdeflate is installed (for specs of that path).</summary>
    internal GzipCompressor(int level, bool useLibDeflate) : this(level) => _useLibDeflate = useLibDeflate && LibDeflate.IsAvailable;

    private readonly bool _useLibDeflate = LibDeflate.IsAvailable;

    public const int DefaultLevel = 6;

    // Just under 1 MiB: a member's worst case (libdeflate's bound, the chunk plus about 1 KiB) then still
    // fits in a 1 MiB array of the pool, as the chunk itself does.
    internal const int ChunkSize = (1 << 20) - 4096;

    // One worker per core; the other stages (tar, gpg, upload) share the same cores, so more chunks
    // in flight would only add memory.
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 8);

    // Chunks and members come from a pool of this compressor's own: a chunk is rented by the reading
    // thread and returned by a worker, and the shared pool keeps arrays per thread, so it kept
    // allocating new large arrays (about 60 MB more peak RSS than zstd, measured). This pool is one
    // stack for all threads, holding what is in flight at most (chunk + member per queued task).
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(4 * ChunkSize, 2 * (Workers + 2));

    public string Extension => ".gz";

    public string Name => "gzip";

    public int Level => level;

    public async Task CompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        // Chunks are compressed in reading order and their results queued in that order, so the
        // writer only has to await them one by one; the bound keeps memory flat.
        var queue = Channel.CreateBounded<Task<Member>>(new BoundedChannelOptions(Workers) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = WriteMembersAsync(queue.Reader, output, stop, stop.Token);
        Exception? failure = null;
        try
        {
            var first = true;
            while (true)
            {
                var chunk = _buffers.Rent(ChunkSize);
                var length = await input.ReadAtLeastAsync(chunk.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, stop.Token);
                // An empty input still becomes one (empty) member, as gzip itself writes.
                if (length == 0 && !first)
                {
                    _buffers.Return(chunk);
                    break;
                }

                first = false;
                await queue.Writer.WriteAsync(Task.Run(() => Compress(chunk, length), stop.Token), stop.Token);
                if (length < ChunkSize)
                    break;
            }
        }
        catch (Exception e)
        {
            failure = e;
            await stop.CancelAsync();
        }

        queue.Writer.Complete();
        Exception? writeFailure = null;
        try
        {
            await writer;
        }
        catch (Exception e)
        {
            writeFailure = e;
        }

        // Report the cause, not the cancellation that one side's failure caused on the other.
        var cause = failure is not null and not OperationCanceledException ? failure : writeFailure ?? failure;
        if (cause is not null)
            ExceptionDispatchInfo.Throw(cause);
    }

    public async Task DecompressAsync(Stream input, Stream output, CancellationToken ct)
    {
        // GZipStream reads every member of a multi-member file (as written by us, `cat a.gz b.gz` or
        // pigz), so archives restore whole. It does not notice a truncated last member
        // (dotnet/runtime reverted that check): the manifest's SHA-256 of the stored bytes is what
        // catches a truncated artifact.
        await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            await gzip.CopyToAsync(output, Compressors.BufferSize, ct);
        }
        catch (InvalidDataException e)
        {
            throw new BackupException($"gzip: the data is not valid gzip (corrupt or truncated): {e.Message}", e);
        }
    }

    private Member Compress(byte[] chunk, int length)
    {
        try
        {
            var buffer = new PooledBuffer(_useLibDeflate ? length + 4096 : length / 2 + 4096, _buffers);
            if (_useLibDeflate)
            {
                LibDeflate.CompressMember(level, chunk.AsSpan(0, length), buffer);
            }
            else
            {
                using var gzip = new GZipStream(buffer, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);
                gzip.Write(chunk, 0, length);
            }

            return new Member(buffer);
        }
        finally
        {
            _buffers.Return(chunk);
        }
    }

    private static async Task WriteMembersAsync(
        ChannelReader<Task<Member>> members, Stream output, CancellationTokenSource stop, CancellationToken ct)
    {
        try
        {
            await foreach (var pending in members.ReadAllAsync(ct))
            {
                var member = await pending;
                try
                {
                    await output.WriteAsync(member.Buffer.Written, ct);
                }
                finally
                {
                    member.Buffer.Dispose();
                }
            }
        }
        catch
        {
            // Unblocks the reading loop, which may be waiting for room in the queue.
            await stop.CancelAsync();
            // Give back what the still-queued chunks hold once they finish; then report.
            while (members.TryRead(out var pending))
                _ = pending.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Buffer.Dispose(); }, TaskScheduler.Default);
            throw;
        }
    }

    private sealed record Member(PooledBuffer Buffer);
}
