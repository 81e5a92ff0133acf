using System.Security.Cryptography;
using Backup.Core.Destinations;

namespace Backup.Tests.Destinations;

/// <summary>
/// The contract of <see cref="IDestination"/>, run against every implementation (fast specs for the
/// in-memory and local ones, integration specs for S3 against s3rver). A subclass gives a fresh, empty
/// destination per test. This file is linked into Backup.IntegrationTests.
/// </summary>
public abstract class DestinationConformanceSpecs
{
    protected abstract IDestination Destination { get; }

    /// <summary>False for a store known to ignore conditional writes (s3rver): the lock's probe must say so.</summary>
    protected virtual bool HonoursConditions => true;

    /// <summary>Large enough to exercise the implementation's chunking (for S3: several parts).</summary>
    protected virtual int LargeSize => 3 * 1024 * 1024 + 12_345;

    /// <summary>Where a failing source throws (for S3: after the first part, so a multipart upload is open).</summary>
    protected virtual int FailureOffset => LargeSize / 2;

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Destination.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<StoredObject>> ListAsync(string prefix)
    {
        var found = new List<StoredObject>();
        await foreach (var item in Destination.ListAsync(prefix, CancellationToken.None))
            found.Add(item);
        return found;
    }

    protected Task<long> UploadAsync(string key, byte[] data) =>
        Destination.UploadAsync(key, new UnknownLengthStream(data), CancellationToken.None);

    private static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    [Fact]
    public async Task An_upload_of_unknown_length_reads_back_equal_and_returns_its_size()
    {
        var data = RandomBytes(LargeSize, 1);

        var size = await UploadAsync("host/db-1.sql.gz", data);

        Assert.Equal(data.Length, size);
        var back = await ReadAllAsync("host/db-1.sql.gz");
        Assert.Equal(data.Length, back.Length);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(SHA256.HashData(back)));
    }

    [Fact]
    public async Task A_stream_that_throws_midway_leaves_nothing_under_the_key()
    {
        var source = new UnknownLengthStream(RandomBytes(LargeSize, 2)) { FailAt = FailureOffset };

        var error = await Assert.ThrowsAsync<IOException>(() => Destination.UploadAsync("host/broken.gz", source, CancellationToken.None));

        Assert.Same(source.Thrown, error);
        Assert.Empty(await ListAsync("host/"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Destination.OpenReadAsync("host/broken.gz", CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_nothing_under_the_key()
    {
        using var cts = new CancellationTokenSource();
        var source = new UnknownLengthStream(RandomBytes(LargeSize, 3)) { HookAt = FailureOffset, Hook = () => cts.CancelAsync() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Destination.UploadAsync("host/cancelled.gz", source, cts.Token));

        Assert.Empty(await ListAsync("host/"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Destination.OpenReadAsync("host/cancelled.gz", CancellationToken.None));
    }

    [Fact]
    public async Task Listing_by_prefix_returns_keys_relative_to_the_destination_with_their_sizes()
    {
        await UploadAsync("logs/2024-01.tar", RandomBytes(10, 4));
        await UploadAsync("logs/2024-02.tar", RandomBytes(20, 5));
        await UploadAsync("logs/2023-12.tar", RandomBytes(30, 6));
        await UploadAsync("logs-old/2024-01.tar", RandomBytes(40, 7));
        await UploadAsync("deep/a/b/c.bin", RandomBytes(50, 8));

        var in2024 = await ListAsync("logs/2024-");
        var all = await ListAsync("");

        Assert.Equal(["logs/2024-01.tar", "logs/2024-02.tar"], in2024.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal([10L, 20L], in2024.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Size));
        Assert.Equal(
            ["deep/a/b/c.bin", "logs-old/2024-01.tar", "logs/2023-12.tar", "logs/2024-01.tar", "logs/2024-02.tar"],
            all.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["logs/2023-12.tar", "logs/2024-01.tar", "logs/2024-02.tar"],
            (await ListAsync("logs/")).Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_deleted_object_is_gone()
    {
        await UploadAsync("host/old.gz", RandomBytes(100, 9));
        await UploadAsync("host/kept.gz", RandomBytes(100, 10));

        await Destination.DeleteAsync("host/old.gz", CancellationToken.None);

        Assert.Equal(["host/kept.gz"], (await ListAsync("host/")).Select(o => o.Key));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Destination.OpenReadAsync("host/old.gz", CancellationToken.None));
    }

    [Fact]
    public async Task Reading_a_missing_key_throws_FileNotFoundException()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Destination.OpenReadAsync("nowhere/missing.gz", CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_stream_uploads_an_empty_object()
    {
        var size = await UploadAsync("host/empty.gz", []);

        Assert.Equal(0, size);
        Assert.Empty(await ReadAllAsync("host/empty.gz"));
        var listed = Assert.Single(await ListAsync("host/"));
        Assert.Equal(("host/empty.gz", 0L), (listed.Key, listed.Size));
    }

    [Fact]
    public async Task An_upload_replaces_an_existing_object()
    {
        await UploadAsync("host/same.gz", RandomBytes(1000, 11));
        var second = RandomBytes(500, 12);

        await UploadAsync("host/same.gz", second);

        Assert.Equal(second, await ReadAllAsync("host/same.gz"));
        Assert.Equal(500, Assert.Single(await ListAsync("host/")).Size);
    }

    [Fact]
    public async Task A_create_only_upload_of_a_new_key_reads_back_equal_and_returns_its_size()
    {
        var data = RandomBytes(LargeSize, 13);

        var size = await Destination.UploadNewAsync("host/new.gz", new UnknownLengthStream(data), CancellationToken.None);

        Assert.Equal(data.Length, size);
        Assert.Equal(Sha256(data), Sha256(await ReadAllAsync("host/new.gz")));
        var listed = Assert.Single(await ListAsync("host/"));
        Assert.Equal(("host/new.gz", (long)data.Length), (listed.Key, listed.Size));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(-1)] // LargeSize: for S3 a stream of several parts
    public async Task A_create_only_upload_onto_an_existing_key_fails_before_reading_and_keeps_the_existing_object(int size)
    {
        var existing = RandomBytes(700, 14);
        await UploadAsync("host/same.gz", existing);
        var read = false;
        var source = new UnknownLengthStream(RandomBytes(size < 0 ? LargeSize : size, 15))
        {
            HookAt = 0,
            Hook = () =>
            {
                read = true;
                return Task.CompletedTask;
            },
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => Destination.UploadNewAsync("host/same.gz", source, CancellationToken.None));

        AssertNamesTheObject(error, "host/same.gz");
        Assert.False(read, "the stream was read although the key was taken");
        Assert.Equal(existing, await ReadAllAsync("host/same.gz"));
        var listed = Assert.Single(await ListAsync("host/"));
        Assert.Equal(("host/same.gz", 700L), (listed.Key, listed.Size));
    }

    [Fact]
    public async Task An_object_created_while_a_create_only_upload_runs_is_not_overwritten()
    {
        // Even where the store ignores If-None-Match (s3rver), the object is looked for again right
        // before the final write; only a writer within that round trip is not caught there.
        var existing = RandomBytes(700, 16);
        var source = new UnknownLengthStream(RandomBytes(LargeSize, 17))
        {
            HookAt = FailureOffset,
            Hook = () => UploadAsync("host/raced.gz", existing),
        };

        var error = await Assert.ThrowsAsync<ObjectExistsException>(() => Destination.UploadNewAsync("host/raced.gz", source, CancellationToken.None));

        AssertNamesTheObject(error, "host/raced.gz");
        Assert.Equal(existing, await ReadAllAsync("host/raced.gz"));
        var listed = Assert.Single(await ListAsync("host/"));
        Assert.Equal(("host/raced.gz", 700L), (listed.Key, listed.Size));
    }

    [Fact]
    public async Task Conditional_writes_create_only_once_and_replace_only_the_version_they_name_or_the_probe_says_they_do_not()
    {
        var honours = await Backup.Core.Locking.ConditionProbe.HonoursConditionsAsync(Destination, "probe", CancellationToken.None);
        Assert.Equal(HonoursConditions, honours);
        Assert.Empty(await ListAsync(""));
        if (!HonoursConditions)
            return;

        var created = await Destination.CreateIfAbsentAsync("home/~lock.json", "one"u8.ToArray(), CancellationToken.None);
        var again = await Destination.CreateIfAbsentAsync("home/~lock.json", "two"u8.ToArray(), CancellationToken.None);
        var read = await Destination.ReadVersionedAsync("home/~lock.json", CancellationToken.None);
        var stale = await Destination.ReplaceIfVersionAsync("home/~lock.json", "three"u8.ToArray(), "\"0123\"", CancellationToken.None);
        var replaced = await Destination.ReplaceIfVersionAsync("home/~lock.json", "four"u8.ToArray(), created!, CancellationToken.None);
        var reused = await Destination.ReplaceIfVersionAsync("home/~lock.json", "five"u8.ToArray(), created!, CancellationToken.None);

        Assert.NotNull(created);
        Assert.Null(again);
        Assert.Equal(("one", created), (System.Text.Encoding.UTF8.GetString(read!.Content), read.Version));
        Assert.Null(stale);
        Assert.NotNull(replaced);
        Assert.NotEqual(created, replaced);
        Assert.Null(reused);
        Assert.Equal("four"u8.ToArray(), await ReadAllAsync("home/~lock.json"));
        Assert.Null(await Destination.ReadVersionedAsync("home/missing.json", CancellationToken.None));
        Assert.Null(await Destination.ReplaceIfVersionAsync("home/missing.json", "x"u8.ToArray(), created!, CancellationToken.None));
    }

    private void AssertNamesTheObject(ObjectExistsException error, string key)
    {
        Assert.StartsWith($"destinations.{Destination.Name}: an object already exists at ", error.Message);
        Assert.EndsWith($"{key}; it was not overwritten", error.Message);
    }
}
