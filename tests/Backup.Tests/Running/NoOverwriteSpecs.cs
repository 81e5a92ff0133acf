using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;

namespace Backup.Tests.Running;

/// <summary>
/// A run never writes over an object: an artifact or manifest key that is already taken (keys are
/// unique by construction, so here another writer takes it just before the run's own upload) fails
/// that artifact and leaves what is there as it was.
/// </summary>
public sealed class NoOverwriteSpecs
{
    private static readonly byte[] Theirs = "someone else's bytes"u8.ToArray();

    private readonly FakeComponents _components = new();
    private readonly InMemoryDestination _first = new("first");
    private readonly InMemoryDestination _second = new("second");
    private readonly FakeItem _item = new("data", "hello"u8.ToArray());

    public NoOverwriteSpecs()
    {
        _components.Destinations["first"] = _first;
        _components.Destinations["second"] = _second;
        _components.Sources["home"] = new FakeSource("home", [_item]);
    }

    [Fact]
    public async Task An_artifact_whose_key_is_taken_fails_and_the_object_there_is_kept()
    {
        var taken = TakeBeforeUpload(_second, key => !key.EndsWith(Manifest.Suffix, StringComparison.Ordinal));

        var report = Assert.Single((await RunAsync()).Artifacts);

        Assert.Equal(ArtifactStatus.Failed, report.Status);
        Assert.Contains($"an object already exists at {_second.Location}/{report.Key}; it was not overwritten", report.Error);
        Assert.Equal(report.Key, taken.Single());
        Assert.Equal(Theirs, _second.Objects[report.Key!]);
        Assert.Equal([report.Key!], _second.Objects.Keys);
        // The copy the other destination had stored is removed with the failed artifact.
        Assert.Empty(_first.Objects);
        Assert.True(_item.Aborted);
        Assert.Null(_item.CommittedKey);
    }

    [Fact]
    public async Task A_manifest_whose_key_is_taken_fails_the_artifact_and_only_what_this_run_wrote_is_removed()
    {
        var taken = TakeBeforeUpload(_second, key => key.EndsWith(Manifest.Suffix, StringComparison.Ordinal));

        var report = Assert.Single((await RunAsync()).Artifacts);

        Assert.Equal(ArtifactStatus.Failed, report.Status);
        Assert.Contains("writing the manifest failed", report.Error);
        Assert.Contains($"an object already exists at {_second.Location}/{Manifest.KeyFor(report.Key!)}; it was not overwritten", report.Error);
        Assert.Equal(Manifest.KeyFor(report.Key!), taken.Single());
        // The manifest that was there stays; the artifact copies and the first manifest, all this run's, are gone.
        Assert.Equal(Theirs, _second.Objects[Manifest.KeyFor(report.Key!)]);
        Assert.Equal([Manifest.KeyFor(report.Key!)], _second.Objects.Keys);
        Assert.Empty(_first.Objects);
        Assert.Null(_item.CommittedKey);
    }

    /// <summary>Has another writer put <see cref="Theirs"/> under the first key the run creates in <paramref name="store"/> that <paramref name="matches"/>.</summary>
    private static List<string> TakeBeforeUpload(InMemoryDestination store, Func<string, bool> matches)
    {
        var taken = new List<string>();
        store.BeforeOperation = (operation, key) =>
        {
            if (operation != nameof(IDestination.UploadNewAsync) || !matches(key) || taken.Count > 0)
                return;
            taken.Add(key);
            store.UploadAsync(key, new MemoryStream(Theirs), CancellationToken.None).GetAwaiter().GetResult();
        };
        return taken;
    }

    private Task<RunReport> RunAsync()
    {
        var config = new BackupConfig
        {
            AllSources = [new DirectorySourceConfig { Name = "home", Path = "/x", Destinations = ["first", "second"] }],
            Destinations = new Dictionary<string, DestinationConfig>
            {
                ["first"] = new LocalDestinationConfig { Name = "first", Path = "/x" },
                ["second"] = new LocalDestinationConfig { Name = "second", Path = "/y" },
            },
        };
        return new BackupRunner(config, _components, IEventLog.Null).RunAsync(new RunOptions(), IRunObserver.Null, CancellationToken.None);
    }
}
