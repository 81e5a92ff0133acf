using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Locking;
using Backup.Core.Logging;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;

namespace Backup.Tests.Running;

/// <summary>
/// A run into a destination with <c>object_lock</c>: each copy of an artifact and its manifest are locked
/// until the same date (the artifact's creation + retain), each copy's manifest records its own copy's
/// lock, and a destination's up-front check (a bucket without Object Lock) fails the source before
/// anything is written, in a run and a dry run alike.
/// </summary>
public sealed class ObjectLockRunSpecs
{
    private static readonly ObjectLockPolicy ThirtyDays = new(ObjectLockMode.Compliance, new CalendarDuration { Days = 30 });

    private readonly FakeComponents _components = new();
    private readonly InMemoryDestination _vault = new("vault") { ObjectLock = ThirtyDays };
    private readonly InMemoryDestination _plain = new("plain");
    private readonly InMemoryDestination _temp = new("temp");

    public ObjectLockRunSpecs()
    {
        _components.Destinations["vault"] = _vault;
        _components.Destinations["plain"] = _plain;
        _components.Destinations["/tmp/backup"] = _temp;
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", "hello"u8.ToArray())]);
        _components.Sources["other"] = new FakeSource("other", [new FakeItem("more", "again"u8.ToArray())]);
    }

    private static BackupConfig Config(string[] destinations, bool cleanup = true) => new()
    {
        AllSources =
        [
            new DirectorySourceConfig { Name = "home", Path = "/x", Destinations = destinations, Temp = "/tmp/backup", Cleanup = cleanup },
            new DirectorySourceConfig { Name = "other", Path = "/x", Destinations = ["plain"] },
        ],
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["vault"] = new LocalDestinationConfig { Name = "vault", Path = "/x" },
            ["plain"] = new LocalDestinationConfig { Name = "plain", Path = "/x" },
        },
    };

    private Task<RunReport> RunAsync(BackupConfig config, bool dryRun = false) =>
        new BackupRunner(config, _components, IEventLog.Null).RunAsync(new RunOptions { DryRun = dryRun }, IRunObserver.Null, CancellationToken.None);

    [Fact]
    public async Task An_artifact_and_its_manifest_are_locked_until_its_creation_plus_retain_and_the_manifest_says_so()
    {
        var report = await RunAsync(Config(["vault", "plain"], cleanup: false));

        var artifact = Assert.Single(report.Artifacts, a => a.Source == "home");
        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        var key = artifact.Key!;
        var manifest = Manifest.Parse(_vault.Objects[Manifest.KeyFor(key)], "spec");
        var expected = new ObjectRetention(ObjectLockMode.Compliance, manifest.Created.AddDays(30));
        Assert.Equal(expected, _vault.Retentions[key]);
        Assert.Equal(expected, _vault.Retentions[Manifest.KeyFor(key)]);
        Assert.Equal(expected, manifest.ObjectLock);
        // The other copies are not locked, and their manifests say nothing of a lock.
        Assert.Empty(_plain.Retentions);
        Assert.Empty(_temp.Retentions);
        Assert.Null(Manifest.Parse(_plain.Objects[Manifest.KeyFor(key)], "spec").ObjectLock);
        Assert.Null(Manifest.Parse(_temp.Objects[Manifest.KeyFor(ArtifactNaming.FileName(key))], "spec").ObjectLock);
        // Nor is anything of the run lock.
        Assert.DoesNotContain(_vault.Retentions.Keys, LockKeys.IsLockKey);
    }

    [Fact]
    public async Task The_lock_is_written_to_the_manifest_as_mode_and_retain_until()
    {
        await RunAsync(Config(["vault"]));

        var manifestKey = Assert.Single(_vault.Objects.Keys, k => k.EndsWith(Manifest.Suffix, StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(_vault.Objects[manifestKey]);
        var objectLock = json.RootElement.GetProperty("object_lock");
        Assert.Equal("compliance", objectLock.GetProperty("mode").GetString());
        Assert.Equal(Manifest.Parse(_vault.Objects[manifestKey], "spec").Created.AddDays(30), objectLock.GetProperty("retain_until").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_destination_that_fails_its_preflight_fails_the_source_before_anything_is_written(bool dryRun)
    {
        _vault.PreflightFailure = new BackupException("destinations.vault: bucket 'b' does not have Object Lock enabled");
        var touched = new List<string>();
        _vault.BeforeOperation = (operation, key) => touched.Add($"{operation} {key}");

        var report = await RunAsync(Config(["vault", "plain"]), dryRun);

        var failed = Assert.Single(report.Artifacts, a => a.Source == "home");
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Equal("sources.directories.home: destinations.vault: bucket 'b' does not have Object Lock enabled", failed.Error);
        // Not even the run lock was taken: nothing was written anywhere for this source.
        Assert.Empty(touched);
        Assert.DoesNotContain(_plain.Objects.Keys, k => k.StartsWith("home/", StringComparison.Ordinal));
        // The other source, which does not store there, still ran.
        Assert.Equal(dryRun ? ArtifactStatus.Planned : ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "other").Status);
    }

    [Fact]
    public async Task Every_destination_of_a_source_is_checked_before_its_run()
    {
        await RunAsync(Config(["vault", "plain"]));

        Assert.Equal(1, _vault.Preflights);
        Assert.Equal(2, _plain.Preflights); // once for each source that stores there
    }
}
