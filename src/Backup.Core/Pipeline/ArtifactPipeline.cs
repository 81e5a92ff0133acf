using System.IO.Pipelines;
using System.Security.Cryptography;
using Backup.Core.Compression;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Processes;
using Backup.Core.Sources;

namespace Backup.Core.Pipeline;

/// <summary>
/// Runs one artifact through source → compressor → encryptor → tee → destination(s). Every stage runs
/// concurrently, joined by bounded pipes, so memory stays flat and nothing touches disk in between.
/// The first failure cancels every stage; uploads that had already completed are deleted, so a failed
/// artifact is visible nowhere. Every upload is create-only (<see cref="IDestination.UploadNewAsync"/>):
/// an object already under the key fails the artifact and stays as it was.
/// </summary>
public static class ArtifactPipeline
{
    public static async Task<ArtifactResult> RunAsync(
        IBackupItem item,
        ICompressor compressor,
        IEncryptor encryptor,
        IReadOnlyList<ArtifactSink> sinks,
        ArtifactProgress progress,
        CancellationToken ct)
    {
        if (sinks.Count == 0)
            throw new ArgumentException("an artifact needs at least one sink", nameof(sinks));

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failure = new FirstFailure(cts);

        var final = new Pipe(Stages.Bounded); // the artifact as it is stored: what the checksum and the sinks read
        var sinkPipes = sinks.Select(_ => new Pipe(Stages.Bounded)).ToArray();

        long rawSize = 0;
        var producer = new ByteStage(item.Producer, item as IProgramStage,
            async (_, output, token) =>
            {
                await using var counting = new ObservedStream(output, chunk => { rawSize += chunk.Length; progress.AddRaw(chunk.Length); });
                await item.WriteAsync(counting, token);
            });
        List<ByteStage> stages = [producer];
        // Pass-through stages are left out rather than copying every byte once more.
        if (compressor is not NoCompression)
            stages.Add(new ByteStage(compressor.Name, compressor as IProgramStage, compressor.CompressAsync));
        if (encryptor is not NoEncryption)
            stages.Add(new ByteStage(encryptorName(encryptor), encryptor as IProgramStage, encryptor.EncryptAsync));

        // Neighbouring external programs (tar | zstd | gpg) become one stage joined by OS pipes.
        var joined = ByteStage.JoinPrograms(stages, producerBytes: n => { rawSize = n; progress.AddRaw(n); });
        var running = new List<Task>();
        PipeReader? input = null;
        for (var i = 0; i < joined.Count; i++)
        {
            var output = i == joined.Count - 1 ? final : new Pipe(Stages.Bounded);
            running.Add(Stages.RunAsync(joined[i].Name, input, output.Writer, failure, joined[i].Body, cts.Token));
            input = output.Reader;
        }

        var tee = TeeAsync(final.Reader, sinkPipes.Select(p => p.Writer).ToArray(), progress, failure, cts.Token);

        var completedUploads = new bool[sinks.Count];
        var uploads = sinks.Select((sink, i) => UploadAsync(sink, sinkPipes[i].Reader, failure, () => completedUploads[i] = true, cts.Token)).ToArray();

        try
        {
            await Task.WhenAll([.. running, tee, .. uploads]);
        }
        catch when (failure.Exception is not null)
        {
            // Reported below with the stage that failed first, not whichever task was awaited first.
        }

        if (failure.Exception is { } error)
        {
            await DeleteCompletedAsync(sinks, completedUploads);
            if (ct.IsCancellationRequested)
                throw new OperationCanceledException("interrupted", error, ct);
            throw error;
        }

        var teeResult = await tee;
        foreach (var (sink, i) in sinks.Select((s, i) => (s, i)))
        {
            var stored = await uploads[i];
            if (stored != teeResult.Size)
            {
                await DeleteCompletedAsync(sinks, completedUploads);
                throw new BackupException(
                    $"upload to {sink.Destination.Name}: stored {stored} bytes for {sink.Key} but sent {teeResult.Size}");
            }
        }

        return new ArtifactResult(rawSize, teeResult.Size, teeResult.Sha256);

        static string encryptorName(IEncryptor e) => e.Extension.Length == 0 ? "no encryption" : e.Extension.TrimStart('.');
    }

    private static async Task<(long Size, string Sha256)> TeeAsync(
        PipeReader input, PipeWriter[] outputs, ArtifactProgress progress, FirstFailure failure, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(ct);
                foreach (var segment in read.Buffer)
                {
                    hash.AppendData(segment.Span);
                    size += segment.Length;
                    progress.AddStored(segment.Length);
                    foreach (var output in outputs)
                    {
                        var flush = await output.WriteAsync(segment, ct);
                        if (flush.IsCompleted)
                            throw new IOException("a destination stopped reading before the end of the artifact");
                    }
                }

                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }

            await input.CompleteAsync();
            foreach (var output in outputs)
                await output.CompleteAsync();
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (Exception e)
        {
            var wrapped = failure.Record("checksum", e);
            await input.CompleteAsync(wrapped);
            foreach (var output in outputs)
                await output.CompleteAsync(wrapped);
            throw wrapped;
        }
    }

    private static async Task<long> UploadAsync(
        ArtifactSink sink, PipeReader input, FirstFailure failure, Action completed, CancellationToken ct)
    {
        try
        {
            await using var stream = input.AsStream(leaveOpen: true);
            var stored = await sink.UploadNewAsync(sink.Key, stream, ct);
            completed();
            await input.CompleteAsync();
            return stored;
        }
        catch (Exception e)
        {
            var wrapped = failure.Record($"upload to {sink.Destination.Name}", e);
            await input.CompleteAsync(wrapped);
            throw wrapped;
        }
    }

    private static async Task DeleteCompletedAsync(IReadOnlyList<ArtifactSink> sinks, bool[] completed)
    {
        for (var i = 0; i < sinks.Count; i++)
        {
            if (!completed[i])
                continue;
            try
            {
                await sinks[i].Destination.DeleteAsync(sinks[i].Key, CancellationToken.None);
            }
            catch (Exception)
            {
                // Best effort: without a manifest the object is never listed, verified or restored.
            }
        }
    }
}
