namespace Backup.Core.Destinations;

/// <summary>
/// Part sizes for a multipart upload of unknown length. S3 allows at most 10,000 parts, every part but
/// the last at least 5 MiB, and parts of different sizes; since the length is unknown up front, the
/// part size grows with the part count instead of being chosen once:
/// <list type="bullet">
/// <item>parts 1–1,000 have the base size (<c>part_size_mb</c>, default 8 MiB);</item>
/// <item>every further 1,000 parts double it (parts 1,001–2,000: 2×, 2,001–3,000: 4×, …);</item>
/// <item>no part is larger than <see cref="MaxPartSize"/> (1 GiB: one pooled array, well under S3's 5 GiB).</item>
/// </list>
/// Small and medium objects therefore keep small parts (and memory of about part size × (concurrency + 1)),
/// while the 10,000th part is only reached at <see cref="MaxObjectSize"/>: about 3.9 TiB with the
/// 8 MiB default (3.17 TiB with the 5 MiB minimum, 4.87 TiB with 16 MiB; S3's own 5 TiB limit from a
/// 19 MiB base on). The default is 8 MiB, as the AWS CLI's: 16 MiB measured 24 MB more peak RSS per
/// upload for no speed gain. Memory grows with the part size, so an object
/// beyond ~2 TiB uploads with 1 GiB parts. See docs/s3-multipart.md.
/// </summary>
internal static class S3PartSizing
{
    public const int MinPartSizeMb = 5;

    public const int MaxPartSizeMb = 1024;

    public const int DefaultPartSizeMb = 8;

    public const int MaxParts = 10_000;

    public const int PartsPerTier = 1_000;

    public const long MaxPartSize = MaxPartSizeMb * 1024L * 1024L;

    /// <summary>S3's own limit on one object (5 TiB).</summary>
    public const long S3MaxObjectSize = 5L * 1024 * 1024 * 1024 * 1024;

    /// <summary>Size of part <paramref name="partNumber"/> (1-based) for a base part size in bytes.</summary>
    public static int PartSize(long basePartSize, int partNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        var tier = Math.Min((partNumber - 1) / PartsPerTier, 20);
        return (int)Math.Min(basePartSize << tier, MaxPartSize);
    }

    /// <summary>
    /// The largest object that fits in <see cref="MaxParts"/> parts with this base size, or S3's 5 TiB
    /// limit when that is lower (base sizes of 19 MiB and more).
    /// </summary>
    public static long MaxObjectSize(long basePartSize)
    {
        long total = 0;
        for (var tier = 0; tier < MaxParts / PartsPerTier; tier++)
            total += PartsPerTier * (long)PartSize(basePartSize, tier * PartsPerTier + 1);
        return Math.Min(total, S3MaxObjectSize);
    }
}
