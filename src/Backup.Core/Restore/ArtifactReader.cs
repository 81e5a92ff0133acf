using System.IO.Pipelines;
using System.Security.Cryptography;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Pipeline;

namespace Backup.Core.Restore;

/// <summary>
/// The backup pipeline run backwards: download → (SHA-256 + byte count as the bytes pass) → decrypt →
/// decompress → a consumer (a structure check, tar, a database import). Stages run concurrently over
/// bounded pipes, so nothing is buffered whole and nothing touches disk unless the consumer writes it.
/// </summary>
public static class ArtifactReader
{
    /// <summary>
    /// Streams <paramref name="entry"/> into <paramref name="consume"/>. Stage failures are returned, not
    /// thrown, so a caller can report them with the checksum result; cancellation by <paramref name="ct"/> throws.
    /// </summary>
    public static async Task<ArtifactReadResult> ReadAsync(
        IDestination destination, CatalogEntry entry, ArtifactCodecs codecs,
        Func<Stream, CancellationToken, Task> consume, CancellationToken ct)
    {
        var manifest = entry.Manifest;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failure = new FirstFailure(cts);
        var stages = new List<Task>();

        var downloaded = new Pipe(Stages.Bounded);
        var download = DownloadAsync(destination, entry, downloaded.Writer, failure, ct);
        var next = downloaded.Reader;

        if (manifest.Encryption != "none")
        {
            var decrypted = new Pipe(Stages.Bounded);
            stages.Add(Stages.RunAsync($"decryption ({manifest.Encryption})", next, decrypted.Writer, failure,
                (input, output, token) => codecs.EncryptorFor(manifest.Encryption).DecryptAsync(input, output, token), cts.Token));
            next = decrypted.Reader;
        }

        if (manifest.Compression != "none")
        {
            var decompressed = new Pipe(Stages.Bounded);
            stages.Add(Stages.RunAsync($"decompression ({manifest.Compression})", next, decompressed.Writer, failure,
                (input, output, token) => codecs.CompressorFor(manifest.Compression).DecompressAsync(input, output, token), cts.Token));
            next = decompressed.Reader;
        }

        stages.Add(Stages.RunAsync(manifest.Content, next, null, failure,
            (input, _, token) => consume(input, token), cts.Token));

        (long Bytes, string? Sha256, bool ToEnd) read = (0, null, false);
        try
        {
            await Task.WhenAll(stages);
        }
        catch when (failure.Exception is not null)
        {
            // Reported with the stage that failed first, below.
        }

        try
        {
            read = await download;
        }
        catch when (failure.Exception is not null)
        {
            // The download failure itself was recorded.
        }

        ct.ThrowIfCancellationRequested();
        return new ArtifactReadResult(read.Bytes, read.Sha256, read.ToEnd, failure.Exception);
    }

    /// <summary>
    /// Downloads and hashes the whole object. When a later stage stops reading (it failed), the rest
    /// is still read and hashed, so the report can say whether the stored bytes were the cause. Bytes
    /// that differ from the manifest end the output with a failure, not its end (see
    /// <see cref="StoredObjectMismatchException"/>): the stages after it never see a clean end of them.
    /// </summary>
    private static async Task<(long, string?, bool)> DownloadAsync(
        IDestination destination, CatalogEntry entry, PipeWriter output, FirstFailure failure, CancellationToken ct)
    {
        var key = entry.ObjectKey;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var forwarding = true;
        try
        {
            await using var stream = await destination.OpenReadAsync(key, ct);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                size += n;
                if (forwarding)
                    forwarding = await ForwardAsync(output, buffer.AsMemory(0, n), ct);
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (size == entry.Manifest.StoredSize && string.Equals(sha256, entry.Manifest.Sha256, StringComparison.OrdinalIgnoreCase))
                await output.CompleteAsync();
            else
                await output.CompleteAsync(failure.Record($"download from {destination.Name}", new StoredObjectMismatchException()));
            return (size, sha256, true);
        }
        catch (Exception e)
        {
            var wrapped = failure.Record(e is FileNotFoundException ? $"download from {destination.Name} (object missing)" : $"download from {destination.Name}", e);
            await output.CompleteAsync(wrapped);
            throw wrapped;
        }
    }

    private static async Task<bool> ForwardAsync(PipeWriter output, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        try
        {
            var flushed = await output.WriteAsync(chunk, ct);
            return !flushed.IsCompleted;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The reader is gone (a later stage failed or finished early); keep hashing only.
            return false;
        }
    }
}
