using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Pipeline;
using Backup.Core.Sources.Directories;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Directories;

/// <summary>GNU tar's exit 1 ("some files differ") is a warning; exit 2 is a failed artifact.</summary>
public sealed class TarExitCodeSpecs : IDisposable
{
    private readonly TempDir _dir = new("tarexit");

    public void Dispose() => _dir.Dispose();

    private async Task<(DirectoryArchiveItem Item, Task<ArtifactResult> Run, MemoryStreamDestination Store)> RunWithTar(string tarBody)
    {
        _dir.Write("data/a.txt", "a");
        var tar = DummyProgram.Create(_dir, "tar", tarBody);
        var source = new DirectorySource(new DirectorySourceConfig { Name = "home", Path = _dir.Combine("data") }, IEventLog.Null, tar);
        var item = (DirectoryArchiveItem)Assert.Single(await source.PlanAsync(CancellationToken.None));
        var store = new MemoryStreamDestination();
        var run = ArtifactPipeline.RunAsync(item, new Core.Compression.NoCompression(), new Core.Encryption.NoEncryption(),
            [new ArtifactSink(store, "k")], new ArtifactProgress("t"), CancellationToken.None);
        return (item, run, store);
    }

    [Fact]
    public async Task Exit_1_file_changed_as_we_read_it_is_stored_with_a_warning()
    {
        var (item, run, store) = await RunWithTar("/usr/bin/tar \"$@\"; echo 'tar: data/a.txt: file changed as we read it' >&2; exit 1");

        await run;

        Assert.Contains(item.Warnings, w => w.Contains("file changed as we read it"));
        Assert.True(store.Stored.ContainsKey("k"));
    }

    [Fact]
    public async Task Exit_2_fails_the_artifact_with_tars_own_message()
    {
        var (_, run, store) = await RunWithTar("/usr/bin/tar \"$@\"; echo 'tar: data: Cannot open: Permission denied' >&2; exit 2");

        var error = await Assert.ThrowsAsync<StageFailedException>(() => run);

        Assert.Equal("tar", error.Stage);
        Assert.Contains("exit code 2", error.Message);
        Assert.Contains("Permission denied", error.Message);
        Assert.Empty(store.Stored);
    }
}
