using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Sources;

namespace Backup.Core.Restore;

/// <summary>
/// Proves that artifacts can be restored without restoring them: each is downloaded, checksummed,
/// decrypted, decompressed and its structure read to the end by its kind's check
/// (<see cref="ISourceKind.CompletenessCheck"/>: a tar archive to its end-of-archive marker with every
/// entry safe to extract; a SQL dump to its completion trailer), all streamed, nothing written to disk.
/// An incremental must also have every earlier link of its chain.
/// </summary>
public sealed class Verifier(IDestination destination, ArtifactCodecs codecs)
{
    /// <summary>Verifies every artifact of <paramref name="listing"/>.</summary>
    public Task<VerifyReport> VerifyAsync(CatalogListing listing, CancellationToken ct) =>
        VerifyAsync(listing, listing.Entries, ct);

    /// <summary>Verifies <paramref name="selected"/> (e.g. from <see cref="ArtifactSelection.Latest"/>); chains are checked against <paramref name="listing"/>.</summary>
    public async Task<VerifyReport> VerifyAsync(CatalogListing listing, IReadOnlyList<CatalogEntry> selected, CancellationToken ct)
    {
        var results = new List<ArtifactVerification>();
        foreach (var entry in selected)
            results.Add(await VerifyOneAsync(listing, entry, ct));
        return new VerifyReport(results, listing.Problems);
    }

    private async Task<ArtifactVerification> VerifyOneAsync(CatalogListing listing, CatalogEntry entry, CancellationToken ct)
    {
        var problems = new List<string>();
        try
        {
            ArtifactSelection.Resolve(listing.Entries, entry);
        }
        catch (BackupException e)
        {
            problems.Add(e.Message);
        }

        var result = await ArtifactReader.ReadAsync(destination, entry, codecs, Consumer(entry), ct);
        problems.AddRange(result.Problems(entry.Manifest));
        return new ArtifactVerification(entry, result.StoredBytes, result.Sha256, problems);
    }

    private static Func<Stream, CancellationToken, Task> Consumer(CatalogEntry entry) =>
        SourceKinds.Find(entry.Manifest.SourceKind)?.CompletenessCheck(entry.Manifest)
        // A kind or content this version does not know: the checksum and the decoding still prove the bytes.
        ?? ((input, ct) => input.CopyToAsync(Stream.Null, ct));
}
