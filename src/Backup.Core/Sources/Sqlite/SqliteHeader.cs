using System.Buffers.Binary;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// What the first 100 bytes of a database file say about its size (the file format's "database header":
/// https://www.sqlite.org/fileformat2.html#the_database_header). A file SQLite wrote is exactly
/// <see cref="PageSize"/> × <see cref="PageCount"/> bytes, which lets a stream be proven whole without
/// opening it as a database.
/// </summary>
/// <param name="PageSize">Bytes per page: a power of two from 512 to 65536.</param>
/// <param name="PageCount">The "in-header database size", in pages.</param>
public sealed record SqliteHeader(int PageSize, uint PageCount)
{
    public const int Length = 100;

    /// <summary>The 16 bytes every database file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>What the file's length must be.</summary>
    public long DatabaseSize => (long)PageSize * PageCount;

    /// <summary>
    /// Reads a header from the first <see cref="Length"/> bytes; throws <see cref="FormatException"/>
    /// saying what is wrong: no SQLite file, a page size that is none, or a page count that is not valid.
    /// </summary>
    public static SqliteHeader Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Length || !header[..Magic.Length].SequenceEqual(Magic))
            throw new FormatException("it does not start with the SQLite header ('SQLite format 3'), so it is no SQLite database file");
        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        if (pageSize == 1)
            pageSize = 65536;
        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
            throw new FormatException($"its header gives a page size of {pageSize} bytes, which SQLite never writes (a power of two from 512 to 65536)");

        // The in-header size is valid only when the change counter (offset 24) equals the
        // "version-valid-for" number (offset 92); every SQLite since 3.7.0 (2010) keeps them equal.
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        if (changeCounter != validFor || pageCount == 0)
            throw new FormatException("its header's page count is not valid (not kept by the SQLite that wrote it), so its size cannot be checked");
        return new SqliteHeader(pageSize, pageCount);
    }
}
