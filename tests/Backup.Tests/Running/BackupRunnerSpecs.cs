using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Running;
using Backup.Core.Sources.Directories;
using Backup.Tests.Fakes;

namespace Backup.Tests.Running;

public sealed class BackupRunnerSpecs
{
    private readonly FakeComponents _components = new();
    private readonly InMemoryDestination _store = new("store");

    public BackupRunnerSpecs() => _components.Destinations["store"] = _store;

    private static BackupConfig Config(params string[] sources) => new()
    {
        AllSources = [.. sources.Select(s => new DirectorySourceConfig { Name = s, Path = "/x", Destinations = ["store"] })],
        Destinations = new Dictionary<string, DestinationConfig> { ["store"] = new LocalDestinationConfig { Name = "store", Path = "/x" } },
    };

    private Task<RunReport> RunAsync(BackupConfig config, RunOptions? options = null) =>
        new BackupRunner(config, _components, IEventLog.Null).RunAsync(options ?? new RunOptions(), IRunObserver.Null, CancellationToken.None);

    [Fact]
    public async Task A_stored_artifact_has_a_manifest_describing_it_and_the_item_commits_its_key()
    {
        var item = new FakeItem("data", "hello"u8.ToArray());
        _components.Sources["home"] = new FakeSource("home", [item]);

        var report = await RunAsync(Config("home"));

        var artifact = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Ok, artifact.Status);
        Assert.Equal(artifact.Key, item.CommittedKey);
        Assert.StartsWith("home/data/data-", artifact.Key);
        Assert.EndsWith(".raw.xor", artifact.Key);
        var manifest = Manifest.Parse(_store.Objects[Manifest.KeyFor(artifact.Key!)], "spec");
        Assert.Equal(artifact.Sha256, manifest.Sha256);
        Assert.Equal(5, manifest.RawSize);
        Assert.Equal(_store.Objects[artifact.Key!].Length, manifest.StoredSize);
        Assert.Equal("full", manifest.Kind);
        Assert.Null(manifest.Completeness);
        Assert.DoesNotContain("completeness", System.Text.Encoding.UTF8.GetString(_store.Objects[Manifest.KeyFor(artifact.Key!)]));
    }

    [Fact]
    public async Task The_completeness_check_an_item_passed_is_recorded_in_its_manifest_for_verify()
    {
        _components.Sources["db"] = new FakeSource("db", [new FakeItem("app", "dump"u8.ToArray()) { Completeness = "trailer" }]);

        var artifact = Assert.Single((await RunAsync(Config("db"))).Artifacts);

        var json = System.Text.Encoding.UTF8.GetString(_store.Objects[Manifest.KeyFor(artifact.Key!)]);
        Assert.Contains("\"completeness\": \"trailer\"", json);
        Assert.Equal("trailer", Manifest.Parse(System.Text.Encoding.UTF8.GetBytes(json), "spec").Completeness);
    }

    [Fact]
    public async Task A_failed_item_is_reported_aborted_and_the_other_items_and_sources_still_run()
    {
        var bad = new FakeItem("bad", new byte[1000], new BackupException("mysqldump: Unknown database 'bad'"));
        var good = new FakeItem("good", new byte[1000]);
        _components.Sources["db"] = new FakeSource("db", [bad, good]);
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", new byte[10])]);

        var report = await RunAsync(Config("db", "home"));

        Assert.True(report.AnyFailed);
        var failed = Assert.Single(report.Artifacts, a => a.Status == ArtifactStatus.Failed);
        Assert.Equal("bad", failed.Item);
        Assert.Contains("Unknown database 'bad'", failed.Error);
        Assert.True(bad.Aborted);
        Assert.Null(bad.CommittedKey);
        Assert.Equal(2, report.Artifacts.Count(a => a.Status == ArtifactStatus.Ok));
        Assert.DoesNotContain(_store.Objects.Keys, k => k.Contains("/bad/"));
    }

    [Fact]
    public async Task A_source_with_nothing_to_back_up_fails_saying_so_and_the_other_sources_still_run()
    {
        _components.Sources["db"] = new FakeSource("db", []);
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", new byte[10])]);

        var report = await RunAsync(Config("db", "home"));

        Assert.True(report.AnyFailed);
        var failed = Assert.Single(report.Artifacts, a => a.Source == "db");
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Contains("nothing to back up", failed.Error);
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "home").Status);
    }

    [Fact]
    public async Task A_source_failing_its_preflight_is_reported_without_touching_the_store()
    {
        _components.Sources["db"] = new FakeSource("db", [new FakeItem("x", [])], preflightError: "cannot connect to 127.0.0.1:1");

        var report = await RunAsync(Config("db"));

        var failed = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Failed, failed.Status);
        Assert.Null(failed.Item);
        Assert.Contains("cannot connect", failed.Error);
        Assert.Empty(_store.Objects);
    }

    [Fact]
    public async Task A_dry_run_plans_every_artifact_and_writes_nothing()
    {
        var item = new FakeItem("data", new byte[10]);
        _components.Sources["home"] = new FakeSource("home", [item]);

        var report = await RunAsync(Config("home"), new RunOptions { DryRun = true });

        Assert.Equal(ArtifactStatus.Planned, Assert.Single(report.Artifacts).Status);
        Assert.Empty(_store.Objects);
        Assert.Null(item.CommittedKey);
    }

    [Fact]
    public async Task An_item_failing_its_check_fails_the_dry_run_with_the_report_the_run_gives_and_the_others_are_planned()
    {
        FakeItem Missing() => new("nope", new byte[10]) { FailCheck = new BackupException("sources.directories.db: database 'nope' does not exist") };
        var dryMissing = Missing();
        var dryGood = new FakeItem("shop", new byte[10]);
        _components.Sources["db"] = new FakeSource("db", [dryMissing, dryGood]);
        var dry = await RunAsync(Config("db"), new RunOptions { DryRun = true });
        var runMissing = Missing();
        _components.Sources["db"] = new FakeSource("db", [runMissing, new FakeItem("shop", new byte[10])]);
        var run = await RunAsync(Config("db"));

        var dryFailed = Assert.Single(dry.Artifacts, a => a.Item == "nope");
        var runFailed = Assert.Single(run.Artifacts, a => a.Item == "nope");
        Assert.Equal(ArtifactStatus.Failed, dryFailed.Status);
        Assert.Equal(runFailed.Status, dryFailed.Status);
        Assert.Equal("sources.directories.db nope: database 'nope' does not exist", runFailed.Error);
        Assert.Equal(runFailed.Error, dryFailed.Error);
        Assert.True(dry.AnyFailed);
        Assert.Equal(ArtifactStatus.Planned, Assert.Single(dry.Artifacts, a => a.Item == "shop").Status);
        Assert.Equal(1, dryGood.Checks);
        Assert.False(dryGood.Written);
        Assert.False(dryMissing.Written);
        Assert.False(runMissing.Written);
        Assert.DoesNotContain(_store.Objects.Keys, k => k.Contains("/nope/"));
    }

    [Fact]
    public async Task Only_the_selected_sources_run_and_an_unknown_one_is_refused()
    {
        _components.Sources["a"] = new FakeSource("a", [new FakeItem("x", [1])]);
        _components.Sources["b"] = new FakeSource("b", [new FakeItem("y", [2])]);

        var report = await RunAsync(Config("a", "b"), new RunOptions { Sources = ["b"] });
        var error = await Assert.ThrowsAsync<BackupException>(() => RunAsync(Config("a", "b"), new RunOptions { Sources = ["c"] }));

        Assert.Equal("b", Assert.Single(report.Artifacts).Source);
        Assert.Contains("unknown source(s): c", error.Message);
    }

    [Fact]
    public async Task Warnings_of_an_item_make_it_a_warning_not_a_failure()
    {
        _components.Sources["home"] = new FakeSource("home", [new FakeItem("data", [1]) { Warnings = ["tar: file changed as we read it"] }]);

        var report = await RunAsync(Config("home"));

        var artifact = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.Warning, artifact.Status);
        Assert.False(report.AnyFailed);
    }

    [Fact]
    public async Task An_unexpected_error_fails_only_its_artifact_and_is_reported_with_its_type()
    {
        var broken = new FakeItem("broken", [1], failAfterWriting: new InvalidOperationException("producer went wrong"));
        _components.Sources["a"] = new FakeSource("a", [broken]);
        _components.Sources["b"] = new FakeSource("b", [new FakeItem("fine", [2])]);

        var report = await RunAsync(Config("a", "b"));

        var failed = Assert.Single(report.Artifacts, a => a.Status == ArtifactStatus.Failed);
        Assert.Contains("InvalidOperationException", failed.Error);
        Assert.Contains("producer went wrong", failed.Error);
        Assert.True(broken.Aborted);
        Assert.Equal(ArtifactStatus.Ok, Assert.Single(report.Artifacts, a => a.Source == "b").Status);
    }

    [Fact]
    public async Task A_state_that_cannot_advance_after_the_artifact_is_stored_is_reported_as_stored_with_state_not_advanced()
    {
        var broken = new FakeItem("data", [1]) { FailCommit = new IOException("No space left on device") };
        _components.Sources["a"] = new FakeSource("a", [broken]);

        var report = await RunAsync(Config("a"));

        var artifact = Assert.Single(report.Artifacts);
        Assert.Equal(ArtifactStatus.StateNotAdvanced, artifact.Status);
        Assert.True(report.AnyFailed);
        Assert.Contains($"stored as {artifact.Key}", artifact.Error);
        Assert.Contains("No space left on device", artifact.Error);
        Assert.Contains("the next run repeats this increment", artifact.Error);
        Assert.True(_store.Objects.ContainsKey(artifact.Key!) && _store.Objects.ContainsKey(Manifest.KeyFor(artifact.Key!)));
        Assert.Equal(["store"], artifact.StoredIn);
        Assert.True(broken.Aborted);
    }
}
