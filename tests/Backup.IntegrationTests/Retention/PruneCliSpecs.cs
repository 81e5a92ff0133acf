using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Retention;
using Backup.IntegrationTests.Restore;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Retention;

/// <summary>
/// `backup prune` against a real store: a real run's artifact, back-dated into 40 daily copies (each
/// with its own manifest, as 40 nightly runs would leave them), a foreign object and an old orphan
/// under the prefix. Afterwards what remains is what the policy keeps, verify passes, and every kept
/// time restores with the real tar.
/// </summary>
public abstract class PruneCliSpecs : IDisposable
{
    protected readonly TempDir Dir = new("prune");
    protected static readonly DateTimeOffset Day0 = new(2026, 9, 1, 3, 0, 0, TimeSpan.Zero);

    public void Dispose() => Dir.Dispose();

    protected abstract string DestinationYaml { get; }

    protected abstract IDestination Store();

    protected virtual IReadOnlyDictionary<string, string?>? Environment => null;

    protected string Config()
    {
        Dir.Write("data/a.txt", "alpha");
        Dir.Write("data/sub/b.txt", "beta");
        return Dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {Dir.Combine("data")}
                  compress: gzip
                  destination: store
            destinations:
              store:
            {DestinationYaml}
                retention:
                  keep_daily: 7
                  keep_weekly: 4
                  keep_monthly: 2
                  timezone: UTC
            """);
    }

    protected Task<BackupCli.Result> CliAsync(params string[] args) =>
        BackupCli.RunAsync(args, environment: Environment?.ToDictionary(p => p.Key, p => p.Value));

    /// <summary>One real artifact, copied to a key and manifest per day before it.</summary>
    private async Task<List<Manifest>> BackDatedHistoryAsync(string config, int days)
    {
        var run = await CliAsync("run", "--config", config, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var key = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("artifacts")[0].GetProperty("key").GetString()!;
        var store = Store();
        var original = await ReadManifestAsync(store, key);
        var bytes = await ReadAsync(store, key);
        var made = new List<Manifest> { original };
        for (var i = 0; i < days; i++)
        {
            var created = Day0.AddDays(i);
            var copyKey = ArtifactNaming.ArtifactKey("home", "data", created, null, key[key.IndexOf(".tar", StringComparison.Ordinal)..]);
            var manifest = original with { Key = copyKey, Created = created };
            await store.UploadNewAsync(copyKey, new MemoryStream(bytes), CancellationToken.None);
            await store.UploadNewAsync(Manifest.KeyFor(copyKey), new MemoryStream(manifest.ToJson()), CancellationToken.None);
            made.Add(manifest);
        }

        (store as IDisposable)?.Dispose();
        return made;
    }

    private static async Task<byte[]> ReadAsync(IDestination store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<Manifest> ReadManifestAsync(IDestination store, string key) =>
        Manifest.Parse(await ReadAsync(store, Manifest.KeyFor(key)), key);

    protected async Task<List<string>> ArtifactKeysAsync()
    {
        var store = Store();
        var keys = await store.ListAsync("home/", CancellationToken.None)
            .Where(o => ArtifactNaming.IsLayoutKey(o.Key, flat: false) && !o.Key.EndsWith(Manifest.Suffix, StringComparison.Ordinal))
            .Select(o => o.Key).ToListAsync();
        (store as IDisposable)?.Dispose();
        return keys.Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Prune_keeps_what_the_policy_keeps_leaves_foreign_objects_and_every_kept_time_restores()
    {
        var config = Config();
        var history = await BackDatedHistoryAsync(config, 40);
        var store = Store();
        await store.UploadAsync("home/data/README.txt", new MemoryStream("not ours"u8.ToArray()), CancellationToken.None);
        var orphan = ArtifactNaming.ArtifactKey("home", "data", Day0.AddDays(5).AddHours(1), null, ".tar.gz");
        await store.UploadAsync(orphan, new MemoryStream([1, 2, 3]), CancellationToken.None);
        (store as IDisposable)?.Dispose();
        var policy = new RetentionPolicy { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 2, TimeZone = TimeZoneInfo.Utc };
        var expected = RetentionPlanner.Plan(policy, history.Select(m => new SeriesArtifact(m.Key, m.Created)).ToList()).Kept.Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
        var before = await ArtifactKeysAsync();

        var dry = await CliAsync("prune", "--dry-run", "--config", config);

        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(before, await ArtifactKeysAsync());
        Assert.Contains($"delete  artifact {history[1].Key} (no rule keeps it)", dry.Stderr);
        Assert.Contains("not ours store: home/data/README.txt", dry.Stderr);

        var prune = await CliAsync("prune", "--config", config, "--json");

        Assert.True(prune.ExitCode == 0, prune.Stderr);
        // The orphan's stamp is old, but the store got it just now: it stays for the grace period.
        Assert.Equal(expected.Append(orphan).Order(StringComparer.Ordinal), await ArtifactKeysAsync());
        Assert.Contains($"keep    orphan   {orphan} (younger than the grace period", prune.Stderr);
        var clear = await CliAsync("prune", "--grace", "0s", "--config", config);
        Assert.True(clear.ExitCode == 0, clear.Stderr);
        Assert.Equal(expected, await ArtifactKeysAsync());
        Assert.True(expected.Count is > 5 and < 41, $"{expected.Count} kept");
        store = Store();
        Assert.Equal("not ours"u8.ToArray(), await ReadAsync(store, "home/data/README.txt"));
        (store as IDisposable)?.Dispose();

        var verify = await CliAsync("verify", "--all", "--config", config);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains($"verify: {expected.Count} ok, 0 failed", verify.Stderr);

        foreach (var kept in history.Where(m => expected.Contains(m.Key)))
        {
            var target = Dir.Combine($"restored/{ArtifactStamp.ToStamp(kept.Created)}");
            var restore = await CliAsync("restore", "home", "--at", ArtifactStamp.ToStamp(kept.Created), "--to", target, "--config", config);
            Assert.True(restore.ExitCode == 0, restore.Stderr);
            Assert.Contains(kept.Key, restore.Stderr);
            await Shell.AssertSameTreeAsync(Dir.Combine("data"), target);
        }
    }

    [Fact]
    public async Task A_source_without_a_retention_is_a_usage_error()
    {
        Dir.Write("data/a.txt", "a");
        var config = Dir.Write("none.yaml", $"""
            sources:
              directories:
                home: {"{"} path: {Dir.Combine("data")}, destination: store {"}"}
            destinations:
              store:
            {DestinationYaml}
            """);

        var prune = await CliAsync("prune", "--source", "home", "--config", config);

        Assert.Equal(2, prune.ExitCode);
        Assert.Contains("sources.directories.home has no retention", prune.Stderr);
    }
}

public sealed class LocalPruneCliSpecs : PruneCliSpecs
{
    protected override string DestinationYaml => $"""
            method: local
            path: {Dir.CreateDirectory("store")}
        """;

    protected override IDestination Store() => new LocalDestination("store", Dir.Combine("store"));

    [Fact]
    public async Task A_prune_killed_midway_leaves_only_orphans_and_the_next_prune_finishes_the_job()
    {
        var config = Config();
        var run = await CliAsync("run", "--config", config, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var key = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("artifacts")[0].GetProperty("key").GetString()!;
        var root = Dir.Combine("store");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(root, key));
        var original = Manifest.Parse(await File.ReadAllBytesAsync(Path.Combine(root, Manifest.KeyFor(key))), key);
        // Hourly copies: 2,000 artifacts, of which the policy keeps a handful.
        var history = new List<SeriesArtifact> { new(key, original.Created) };
        for (var i = 0; i < 2000; i++)
        {
            var created = Day0.AddHours(i);
            var copy = ArtifactNaming.ArtifactKey("home", "data", created, null, ".tar.gz");
            history.Add(new SeriesArtifact(copy, created));
            await File.WriteAllBytesAsync(Path.Combine(root, copy), bytes);
            await File.WriteAllBytesAsync(Path.Combine(root, Manifest.KeyFor(copy)), (original with { Key = copy, Created = created }).ToJson());
        }

        // Killed right after its first deletion is logged; the prune cannot get far meanwhile: its log
        // lines (one per deletion) fill the unread stderr pipe and block it.
        using (var prune = BackupCli.Start(["prune", "--config", config]))
        {
            string? line;
            while ((line = await prune.StandardError.ReadLineAsync()) is not null && !line.Contains("deleted artifact", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            prune.Kill();
            await prune.WaitForExitAsync();
        }

        var midway = await ArtifactKeysAsync();
        Assert.InRange(midway.Count, 100, 2000);
        var verify = await CliAsync("verify", "--all", "--config", config, "--json");
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        var problems = JsonDocument.Parse(verify.Stdout).RootElement.GetProperty("problems").EnumerateArray().ToList();
        Assert.All(problems, p => Assert.True(p.GetProperty("orphan").GetBoolean() && p.GetProperty("superseded").GetBoolean(), p.ToString()));

        var again = await CliAsync("prune", "--grace", "0s", "--config", config);

        Assert.True(again.ExitCode == 0, again.Stderr);
        var kept = await ArtifactKeysAsync();
        var policy = new RetentionPolicy { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 2, TimeZone = TimeZoneInfo.Utc };
        Assert.Equal(RetentionPlanner.Plan(policy, history).Kept.Select(a => a.Key).Order(StringComparer.Ordinal), kept);
        var clean = await CliAsync("verify", "--all", "--config", config, "--json");
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        Assert.Empty(JsonDocument.Parse(clean.Stdout).RootElement.GetProperty("problems").EnumerateArray());
        Assert.Contains($"verify: {kept.Count} ok, 0 failed", clean.Stderr);
    }
}

[Collection(S3ServerCollection.Name)]
public sealed class S3PruneCliSpecs(S3Server s3) : PruneCliSpecs
{
    private readonly string _prefix = "prune-" + Guid.NewGuid().ToString("N")[..8];

    protected override string DestinationYaml => $"""
            method: s3
            S3_BUCKET: {S3Server.Bucket}
            prefix: {_prefix}
            endpoint: {s3.Endpoint}
            AWS_ACCESS_KEY_ID: S3RVER
            AWS_SECRET_ACCESS_KEY: S3RVER
        """;

    protected override IDestination Store() => s3.Destination(s3.Config(_prefix), IEventLog.Null);
}
