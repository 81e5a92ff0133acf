using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.IntegrationTests.Sqlite;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// `backup status` on a fresh host: only the config and the store (the backed-up directories gone, another
/// host name). Real runs' artifacts, some moved back in time as if their last good run was days ago.
/// </summary>
public sealed class StatusCliSpecs : IDisposable
{
    private readonly TempDir _dir = new("status");

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store");

    /// <summary>home and mail must be backed up daily (max_age 26h), logs has no max_age, never is never run.</summary>
    private string Config()
    {
        foreach (var source in new[] { "home", "mail", "logs" })
            _dir.Write($"{source}/file.txt", source);
        Directory.CreateDirectory(Store);
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_dir.Combine("home")}
                  destination: store
                  max_age: 26h
                mail:
                  path: {_dir.Combine("mail")}
                  destination: store
                  max_age: 26h
                logs:
                  path: {_dir.Combine("logs")}
                  destination: store
                never:
                  path: {_dir.Combine("never")}
                  destination: store
                  max_age: 1d
            destinations:
              store:
                method: local
                path: {Store}
            """);
    }

    /// <summary>Backs up the sources for real, then forgets the host: only the config and the store remain.</summary>
    private async Task BackedUpAsync(string config, params string[] sources)
    {
        var run = await BackupCli.RunAsync(["run", "--config", config, .. sources.SelectMany(s => new[] { "--source", s })]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var source in new[] { "home", "mail", "logs" })
            Directory.Delete(_dir.Combine(source), recursive: true);
    }

    /// <summary>Moves a source's only artifact (and its manifest) to a key <paramref name="age"/> ago, as a run that long ago would have left it.</summary>
    private async Task<string> BackDateAsync(string source, TimeSpan age)
    {
        var store = new LocalDestination("store", Store);
        var manifestKey = await store.ListAsync($"{source}/", CancellationToken.None)
            .Select(o => o.Key).SingleAsync(k => k.EndsWith(Manifest.Suffix, StringComparison.Ordinal));
        await using var read = await store.OpenReadAsync(manifestKey, CancellationToken.None);
        using var text = new MemoryStream();
        await read.CopyToAsync(text);
        var manifest = Manifest.Parse(text.ToArray(), manifestKey);
        var created = DateTimeOffset.UtcNow - age;
        var key = ArtifactNaming.ArtifactKey(source, manifest.Item, created, null, manifest.Key[manifest.Key.IndexOf(".tar", StringComparison.Ordinal)..]);
        File.Move(Path.Combine(Store, manifest.Key), Path.Combine(Store, key));
        File.Delete(Path.Combine(Store, manifestKey));
        await store.UploadNewAsync(Manifest.KeyFor(key), new MemoryStream((manifest with { Key = key, Created = created }).ToJson()), CancellationToken.None);
        return key;
    }

    private static Task<BackupCli.Result> StatusAsync(string config, params string[] options) =>
        BackupCli.RunAsync(["status", "--config", config, .. options], environment: new Dictionary<string, string?> { ["BACKUP_HOSTNAME"] = "monitor" });

    [Fact]
    public async Task A_fresh_host_reports_each_items_newest_backup_with_its_age_and_exits_1_for_a_stale_or_missing_one()
    {
        var config = Config();
        await BackedUpAsync(config, "home", "mail", "logs");
        var mailKey = await BackDateAsync("mail", TimeSpan.FromDays(3) + TimeSpan.FromHours(2));
        await BackDateAsync("logs", TimeSpan.FromDays(40));

        var table = await StatusAsync(config);
        var json = await StatusAsync(config, "--json");

        Assert.True(table.ExitCode == 1, $"exit {table.ExitCode}: {table.Stderr}");
        var rows = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["fresh", "STALE", "-", "MISSING"], rows.Select(r => r[^1]));
        Assert.Equal(["home", "mail", "logs", "never"], rows.Select(r => r[0]));
        var mail = rows[1];
        Assert.Equal(["mail", "mail", "store"], mail[..3]);
        Assert.Equal(["3d", "2h", "1d", "2h", "STALE"], mail[^5..]);
        Assert.Contains("status: 1 fresh, 1 stale, 1 missing, 1 without max_age", table.Stderr);

        Assert.True(json.ExitCode == 1, $"exit {json.ExitCode}: {json.Stderr}");
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(report.GetProperty("ok").GetBoolean());
        var items = report.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("source").GetString()!);
        Assert.Equal("fresh", items["home"].GetProperty("state").GetString());
        Assert.True(items["home"].GetProperty("age_seconds").GetDouble() < 3600);
        Assert.Equal("stale", items["mail"].GetProperty("state").GetString());
        Assert.Equal(mailKey, items["mail"].GetProperty("key").GetString());
        Assert.Equal(26 * 3600, items["mail"].GetProperty("max_age_seconds").GetDouble());
        Assert.InRange(items["mail"].GetProperty("age_seconds").GetDouble(), 74 * 3600, 75 * 3600);
        Assert.Equal("unchecked", items["logs"].GetProperty("state").GetString());
        Assert.Equal("missing", items["never"].GetProperty("state").GetString());
        Assert.Equal("never", items["never"].GetProperty("item").GetString());
    }

    [Fact]
    public async Task With_every_checked_item_within_its_max_age_status_exits_0()
    {
        var config = Config();
        await BackedUpAsync(config, "home", "mail", "logs");
        await BackDateAsync("mail", TimeSpan.FromHours(25));
        await BackDateAsync("logs", TimeSpan.FromDays(400));

        var home = await StatusAsync(config, "--source", "home");
        var all = await StatusAsync(config);

        Assert.True(home.ExitCode == 0, $"exit {home.ExitCode}: {home.Stderr}");
        Assert.Contains("status: 1 fresh, 0 stale, 0 missing, 0 without max_age", home.Stderr);
        Assert.True(all.ExitCode == 1, "never has a max_age and nothing stored");
        Assert.Contains("status: 2 fresh, 0 stale, 1 missing, 1 without max_age", all.Stderr);
    }

    [Fact]
    public async Task An_item_the_config_names_that_was_never_stored_is_missing_while_its_sibling_is_fresh()
    {
        // A database added to the config whose backups never got through: its sibling's fresh artifact must not hide it.
        var shop = _dir.Combine("db/shop.db");
        var crm = _dir.Combine("db/crm.db");
        Directory.CreateDirectory(_dir.Combine("db"));
        Sqlite3.Run(shop, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        Sqlite3.Run(crm, "CREATE TABLE t(x); INSERT INTO t VALUES (2);");
        Directory.CreateDirectory(Store);
        string ConfigOf(string paths) => _dir.Write("sqlite.yaml", $"""
            sources:
              sqlite:
                app:
                  paths: [{paths}]
                  destination: store
                  max_age: 26h
            destinations:
              store:
                method: local
                path: {Store}
            """);
        var run = await BackupCli.RunAsync(["run", "--config", ConfigOf(shop)]);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var status = await StatusAsync(ConfigOf($"{shop}, {crm}"), "--json");

        Assert.True(status.ExitCode == 1, $"exit {status.ExitCode}: {status.Stderr}");
        var items = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("item").GetString()!, i => i.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["crm.db"] = "missing", ["shop.db"] = "fresh" }, items);
        Assert.Contains("status: 1 fresh, 0 stale, 1 missing, 0 without max_age", status.Stderr);
    }
}
