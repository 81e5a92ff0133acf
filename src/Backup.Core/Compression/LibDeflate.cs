using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Backup.Core.Compression;

/// <summary>
/// gzip members made by libdeflate (Debian package <c>libdeflate0</c>), when it is installed. It
/// compresses a whole buffer at once, which is exactly what our 1 MiB chunks are, and is faster than
/// zlib-ng at the same level while compressing a little better. Measured 2026-11-26 on a 333 MB
/// mysqldump in 1 MiB chunks, one thread, level 6: zlib-ng (the runtime's GZipStream) 98 MiB/s to
/// 88.8 MiB, libdeflate 144 MiB/s to 84.8 MiB (GNU gzip -6: 40 MiB/s to 93.7 MiB). The output is plain
/// RFC 1952; without the library <see cref="GzipCompressor"/> uses GZipStream, with the same format.
/// </summary>
internal static unsafe partial class LibDeflate
{
    private const string Library = "libdeflate.so.0";

    // A compressor holds its own state and may serve one thread at a time; a few per level are kept
    // for the life of the process (one per chunk in flight at most).
    private static readonly ConcurrentDictionary<int, ConcurrentBag<nint>> Idle = new();

    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, out _);

    /// <summary>Compresses <paramref name="input"/> into one gzip member appended to <paramref name="output"/>.</summary>
    public static void CompressMember(int level, ReadOnlySpan<byte> input, PooledBuffer output)
    {
        var idle = Idle.GetOrAdd(level, _ => []);
        if (!idle.TryTake(out var compressor))
        {
            compressor = libdeflate_alloc_compressor(level);
            if (compressor == 0)
                throw new OutOfMemoryException($"libdeflate could not allocate a level {level} compressor");
        }

        try
        {
            var bound = (int)libdeflate_gzip_compress_bound(compressor, (nuint)input.Length);
            var room = output.GetSpan(bound);
            nuint written;
            fixed (byte* source = input)
            fixed (byte* target = room)
                written = libdeflate_gzip_compress(compressor, source, (nuint)input.Length, target, (nuint)room.Length);
            if (written == 0)
                throw new InvalidOperationException("libdeflate: the output did not fit in its own bound");
            output.Advance((int)written);
        }
        finally
        {
            idle.Add(compressor);
        }
    }

    [LibraryImport(Library)]
    private static partial nint libdeflate_alloc_compressor(int level);

    [LibraryImport(Library)]
    private static partial nuint libdeflate_gzip_compress_bound(nint compressor, nuint inputSize);

    [LibraryImport(Library)]
    private static partial nuint libdeflate_gzip_compress(nint compressor, byte* input, nuint inputSize, byte* output, nuint outputSize);
}
