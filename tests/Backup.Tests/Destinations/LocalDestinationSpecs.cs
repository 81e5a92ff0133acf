using System.Runtime.Versioning;
using Backup.Core;
using Backup.Core.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Destinations;

/// <summary>What the local destination promises beyond the shared contract.</summary>
public sealed class LocalDestinationSpecs : IDisposable
{
    private readonly TempDir _dir = new("local-destination");
    private readonly LocalDestination _destination;

    public LocalDestinationSpecs() => _destination = new LocalDestination("local", _dir.Combine("store"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task An_uploaded_file_is_readable_by_its_owner_only()
    {
        await _destination.UploadAsync("host/db.sql.gz", new UnknownLengthStream([1, 2, 3]), CancellationToken.None);

        var mode = File.GetUnixFileMode(_dir.Combine("store", "host", "db.sql.gz"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task A_failed_upload_keeps_the_previous_file_and_leaves_no_partial_file()
    {
        await _destination.UploadAsync("host/db.sql.gz", new UnknownLengthStream([1, 2, 3]), CancellationToken.None);
        var failing = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(1000, 1), chunkSize: 100) { FailAt = 500 };

        await Assert.ThrowsAsync<IOException>(() => _destination.UploadAsync("host/db.sql.gz", failing, CancellationToken.None));

        Assert.Equal(["db.sql.gz"], Directory.GetFiles(_dir.Combine("store", "host")).Select(Path.GetFileName));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(_dir.Combine("store", "host", "db.sql.gz")));
    }

    [Fact]
    public async Task A_partial_file_left_by_a_killed_run_is_not_listed_and_is_removed_by_the_next_run()
    {
        // pid 2^22 + 1 is above Linux's pid_max: that writer is surely gone. pid 1 always runs.
        var dead = _dir.Write("store/host/db-1.sql.gz.4194305.partial", "half an artifact of a killed run");
        var live = _dir.Write("store/host/db-2.sql.gz.1.partial", "being written by a live process");
        var other = _dir.Write("store/host/db-3.sql.gz.partial", "not of our shape");
        var otherItem = _dir.Write("store/host/other-1.sql.gz.4194305.partial", "another item's");

        Assert.Empty(await ListAllAsync());
        var removed = await _destination.RemoveLeftoversAsync("host/db-", CancellationToken.None);

        Assert.Equal([dead], removed);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live) && File.Exists(other) && File.Exists(otherItem));
        await _destination.UploadAsync("host/db.sql.gz", new UnknownLengthStream([7, 8]), CancellationToken.None);
        Assert.Equal(["host/db.sql.gz"], (await ListAllAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task Of_concurrent_create_only_uploads_of_one_key_exactly_one_wins_and_is_stored_whole()
    {
        const int writers = 8;
        for (var round = 0; round < 5; round++)
        {
            var key = $"host/db-{round}.sql.gz";
            var data = Enumerable.Range(0, writers).Select(w => DestinationConformanceSpecs.RandomBytes(256 * 1024 + w, 100 * round + w)).ToArray();
            // Every writer is held halfway until all are: all of them are past the check before the
            // upload, so only the rename at the end can decide.
            var arrived = 0;
            var allHalfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
            {
                var source = new UnknownLengthStream(data[writer], chunkSize: 16 * 1024)
                {
                    HookAt = 128 * 1024,
                    Hook = () =>
                    {
                        if (Interlocked.Increment(ref arrived) == writers)
                            allHalfway.TrySetResult();
                        return allHalfway.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    },
                };
                try
                {
                    await _destination.UploadNewAsync(key, source, CancellationToken.None);
                    return (Writer: writer, Refused: false);
                }
                catch (ObjectExistsException)
                {
                    return (Writer: writer, Refused: true);
                }
            }));

            var winner = Assert.Single(outcomes, o => !o.Refused);
            Assert.Equal(data[winner.Writer], await File.ReadAllBytesAsync(_dir.Combine("store", key)));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(r => $"db-{r}.sql.gz"),
            Directory.GetFiles(_dir.Combine("store", "host")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_create_only_upload_refused_at_the_rename_leaves_no_partial_file()
    {
        var source = new UnknownLengthStream(DestinationConformanceSpecs.RandomBytes(1000, 2), chunkSize: 100)
        {
            HookAt = 500,
            Hook = () => File.WriteAllBytesAsync(_dir.Combine("store", "host", "db.sql.gz"), [1, 2, 3]),
        };

        await Assert.ThrowsAsync<ObjectExistsException>(() => _destination.UploadNewAsync("host/db.sql.gz", source, CancellationToken.None));

        Assert.Equal(["db.sql.gz"], Directory.GetFiles(_dir.Combine("store", "host")).Select(Path.GetFileName));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(_dir.Combine("store", "host", "db.sql.gz")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("host/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("host//db.gz")]
    [InlineData("host/./db.gz")]
    [InlineData("")]
    [InlineData("host/")]
    public async Task Keys_that_could_leave_the_root_or_alias_another_key_are_rejected(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _destination.UploadAsync(key, new UnknownLengthStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _destination.UploadNewAsync(key, new UnknownLengthStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _destination.OpenReadAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _destination.DeleteAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Listing_a_root_that_does_not_exist_yet_is_empty()
    {
        Assert.Empty(await ListAllAsync());
    }

    [Fact]
    public async Task An_unwritable_root_is_reported_with_the_destination_name()
    {
        var blocker = _dir.Write("not-a-dir", "a file where a folder should be");
        var destination = new LocalDestination("usb", blocker);

        var error = await Assert.ThrowsAsync<BackupException>(
            () => destination.UploadAsync("host/db.gz", new UnknownLengthStream([1]), CancellationToken.None));

        Assert.Contains("destinations.usb", error.Message);
    }

    private async Task<List<StoredObject>> ListAllAsync()
    {
        var found = new List<StoredObject>();
        await foreach (var item in _destination.ListAsync("", CancellationToken.None))
            found.Add(item);
        return found;
    }
}
