namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// Proves a stream is one whole database file, chunk by chunk as it passes: it starts with the SQLite
/// header and is exactly as long as that header says (<see cref="SqliteHeader.DatabaseSize"/>). Used on
/// the copy as it is shipped, by <c>verify</c> on the decoded artifact, and by a restore before the file
/// is put in place. What it cannot see (a page damaged inside a file of the right length) the copy's
/// <c>PRAGMA integrity_check</c> ruled out before shipping, and the artifact's SHA-256 since.
/// </summary>
public sealed class SqliteFileCheck
{
    private readonly byte[] _header = new byte[SqliteHeader.Length];
    private int _headerLength;

    public long BytesSeen { get; private set; }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        if (_headerLength < _header.Length)
        {
            var take = Math.Min(chunk.Length, _header.Length - _headerLength);
            chunk[..take].CopyTo(_header.AsSpan(_headerLength));
            _headerLength += take;
        }

        BytesSeen += chunk.Length;
    }

    /// <summary>Why the bytes seen are not one whole database file; null when they are.</summary>
    public string? Problem
    {
        get
        {
            if (_headerLength < _header.Length)
                return BytesSeen == 0 ? "it is empty, so it is no SQLite database file" : $"it ends after {BytesSeen} bytes, inside the SQLite header";
            SqliteHeader header;
            try
            {
                header = SqliteHeader.Parse(_header);
            }
            catch (FormatException e)
            {
                return e.Message;
            }

            if (BytesSeen == header.DatabaseSize)
                return null;
            return $"it is {BytesSeen} bytes long, while its header says {header.PageCount} pages of {header.PageSize} bytes " +
                   $"({header.DatabaseSize} bytes), so it is {(BytesSeen < header.DatabaseSize ? "cut short" : "longer than a database file")}";
        }
    }

    /// <summary>Throws <see cref="BackupException"/> starting with <paramref name="what"/> unless the bytes seen are one whole database file.</summary>
    public void ThrowIfIncomplete(string what)
    {
        if (Problem is { } problem)
            throw new BackupException($"{what}: {problem}");
    }

    /// <summary>
    /// <c>verify</c>'s check of a decoded artifact (<see cref="SqliteKind.CompletenessCheck"/>): reads it to
    /// its end and throws unless it is one whole database file.
    /// </summary>
    public static async Task ReadToEndAsync(Stream input, CancellationToken ct)
    {
        var check = new SqliteFileCheck();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
            check.Observe(buffer.AsSpan(0, read));
        check.ThrowIfIncomplete("the decoded artifact is no whole SQLite database");
    }
}
