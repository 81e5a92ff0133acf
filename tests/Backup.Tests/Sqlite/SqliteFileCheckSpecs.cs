using System.Buffers.Binary;
using Backup.Core;
using Backup.Core.Sources.Sqlite;
using Backup.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Backup.Tests.Sqlite;

/// <summary>
/// The completeness check of a database copy: the SQLite header, and exactly as many bytes as it says
/// (<see cref="SqliteHeader"/>, <see cref="SqliteFileCheck"/>).
/// </summary>
public sealed class SqliteFileCheckSpecs : IDisposable
{
    private readonly TempDir _tmp = new("sqlite-check");

    public void Dispose() => _tmp.Dispose();

    /// <summary>A header as SQLite writes it: the magic, a page size, and a page count that is valid.</summary>
    private static byte[] File(int pageSizeField, uint pages, uint changeCounter = 7, uint validFor = 7)
    {
        var pageSize = pageSizeField == 1 ? 65536 : pageSizeField;
        var bytes = new byte[pageSize * (int)Math.Max(pages, 1)];
        SqliteHeader.Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), (ushort)pageSizeField);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), changeCounter);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28), pages);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(92), validFor);
        return bytes;
    }

    private static string? ProblemOf(ReadOnlySpan<byte> bytes, int chunk = 4096)
    {
        var check = new SqliteFileCheck();
        for (var at = 0; at < bytes.Length; at += chunk)
            check.Observe(bytes.Slice(at, Math.Min(chunk, bytes.Length - at)));
        return check.Problem;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void A_whole_file_passes_however_it_is_chunked(int chunk) =>
        Assert.Null(ProblemOf(File(1024, 3), chunk));

    [Fact]
    public void A_page_size_field_of_one_means_65536_bytes()
    {
        var bytes = File(1, 2);

        Assert.Equal(2 * 65536, bytes.Length);
        Assert.Null(ProblemOf(bytes));
        Assert.Equal(65536, SqliteHeader.Parse(bytes).PageSize);
    }

    [Fact]
    public void A_database_SQLite_wrote_passes_and_its_header_says_its_length()
    {
        var path = _tmp.Combine("real.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size=8192; CREATE TABLE t(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<2000) INSERT INTO t SELECT randomblob(100) FROM c;";
            command.ExecuteNonQuery();
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        var header = SqliteHeader.Parse(bytes);

        Assert.Equal(8192, header.PageSize);
        Assert.Equal(bytes.Length, header.DatabaseSize);
        Assert.Null(ProblemOf(bytes));
    }

    [Fact]
    public void A_file_cut_short_fails_saying_how_long_it_should_be()
    {
        var bytes = File(1024, 3);

        var problem = ProblemOf(bytes.AsSpan(0, 2500));

        Assert.Equal("it is 2500 bytes long, while its header says 3 pages of 1024 bytes (3072 bytes), so it is cut short", problem);
    }

    [Fact]
    public void A_file_longer_than_its_header_says_fails()
    {
        var bytes = File(1024, 3).Concat(new byte[10]).ToArray();

        Assert.Contains("longer than a database file", ProblemOf(bytes));
    }

    [Fact]
    public void An_empty_stream_and_one_that_ends_inside_the_header_fail()
    {
        Assert.Equal("it is empty, so it is no SQLite database file", ProblemOf([]));
        Assert.Equal("it ends after 50 bytes, inside the SQLite header", ProblemOf(File(1024, 3).AsSpan(0, 50)));
    }

    [Fact]
    public void Bytes_that_are_not_a_database_fail_as_such()
    {
        var text = "-- MySQL dump 10.13\n"u8.ToArray().Concat(new byte[200]).ToArray();

        Assert.Contains("no SQLite database file", ProblemOf(text));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(256)]
    public void A_page_size_SQLite_never_writes_fails(int pageSize) =>
        Assert.Contains($"page size of {pageSize} bytes", ProblemOf(File(pageSize, 3)));

    [Fact]
    public void A_page_count_the_writer_did_not_keep_valid_fails()
    {
        Assert.Contains("page count is not valid", ProblemOf(File(1024, 3, changeCounter: 8, validFor: 7)));
        Assert.Contains("page count is not valid", ProblemOf(File(1024, 0)));
    }

    [Fact]
    public async Task Verify_reads_a_decoded_artifact_to_its_end_and_throws_naming_the_problem()
    {
        await SqliteFileCheck.ReadToEndAsync(new MemoryStream(File(512, 4)), CancellationToken.None);

        var e = await Assert.ThrowsAsync<BackupException>(() =>
            SqliteFileCheck.ReadToEndAsync(new MemoryStream(File(512, 4)[..1000]), CancellationToken.None));
        Assert.Contains("cut short", e.Message);
    }
}
