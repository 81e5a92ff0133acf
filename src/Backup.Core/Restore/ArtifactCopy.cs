using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;

namespace Backup.Core.Restore;

/// <summary>
/// <c>restore --to-file</c> for any kind whose backup is one file (a dump): the artifact decoded
/// (downloaded, checksummed, decrypted, decompressed) into a file of its own or onto standard output.
/// </summary>
public sealed class ArtifactCopy(IDestination destination, ArtifactCodecs codecs, IEventLog log)
{
    /// <summary>
    /// Writes the decoded artifact to <paramref name="path"/>, a regular file (mode 0600: a dump holds all
    /// the data); see <see cref="FileTarget"/> for what it refuses. It is written as <c>PATH.PID.partial</c>
    /// and renamed only once the checksum matched; on failure nothing is left.
    /// </summary>
    /// <param name="content">What is written, for messages: "the SQL", "the dump".</param>
    public async Task<string> ToFileAsync(CatalogEntry artifact, string path, bool force, string content, CancellationToken ct)
    {
        var target = FileTarget.Inspect(path, force, content);
        try
        {
            var file = target.CreatePartial(log);
            var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, (input, token) => input.CopyToAsync(file, token), ct);
            result.ThrowIfBad(artifact);
            await target.CommitAsync(ct);
            return target.Path;
        }
        finally
        {
            await target.DiscardAsync();
        }
    }

    /// <summary>
    /// Streams the decoded artifact into <paramref name="output"/> (<c>--to-file -</c>: standard output) as
    /// it comes. The checksum is only known after the last byte, so a failure cannot take back what was
    /// written: the exception says that the output is incomplete or untrustworthy.
    /// </summary>
    /// <param name="outputName">What <paramref name="output"/> is, for the message ("standard output").</param>
    /// <param name="content">What is written, for the message: "the SQL", "the dump".</param>
    public async Task ToStreamAsync(CatalogEntry artifact, Stream output, string outputName, string content, CancellationToken ct)
    {
        var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, async (input, token) =>
        {
            await input.CopyToAsync(output, token);
            await output.FlushAsync(token);
        }, ct);
        var problems = result.Problems(artifact.Manifest);
        if (problems.Count > 0)
            throw new BackupException(
                $"{artifact.Describe()}: {string.Join("; ", problems)}; {content} already written to {outputName} is INCOMPLETE or UNTRUSTWORTHY: discard it",
                result.Failure);
    }

    /// <summary>
    /// Reads a small artifact whole into memory (a script of accounts or roles, which is read as a whole
    /// before anything of it is applied), checked (size, SHA-256, decryption) before it is returned.
    /// Throws when anything is wrong, or when it is larger than <paramref name="maxBytes"/>: then it is
    /// not what its item says it is.
    /// </summary>
    /// <param name="content">What it should be, for the message: "an accounts artifact".</param>
    public async Task<byte[]> ToMemoryAsync(CatalogEntry artifact, long maxBytes, string content, CancellationToken ct)
    {
        if (artifact.Manifest.RawSize > maxBytes)
            throw new BackupException($"{artifact.Describe()} is {artifact.Manifest.RawSize} bytes, too large for {content}");
        var bytes = new MemoryStream();
        var result = await ArtifactReader.ReadAsync(destination, artifact, codecs, async (input, token) =>
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await input.ReadAsync(buffer, token)) > 0)
            {
                if (bytes.Length + n > maxBytes)
                    throw new InvalidDataException($"the artifact is larger than {content} can be");
                bytes.Write(buffer, 0, n);
            }
        }, ct);
        result.ThrowIfBad(artifact);
        return bytes.ToArray();
    }
}
