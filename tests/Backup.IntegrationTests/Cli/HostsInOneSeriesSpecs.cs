using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>Two hosts with one source name under one prefix: the manifests say who made what, and list and verify say the series is mixed.</summary>
public sealed class HostsInOneSeriesSpecs : IDisposable
{
    private readonly TempDir _dir = new("hosts");

    public void Dispose() => _dir.Dispose();

    private string Config()
    {
        _dir.Write("data/a.txt", "a");
        return _dir.Write("c.yaml", $"""
            sources:
              directories:
                home: {"{"} path: {_dir.Combine("data")}, destination: shared {"}"}
            destinations:
              shared: {"{"} method: local, path: {_dir.CreateDirectory("store")} {"}"}
            """);
    }

    private static async Task RunAsHostAsync(string config, string host)
    {
        var run = await BackupCli.RunAsync(["run", "--config", config], environment: new Dictionary<string, string?> { ["BACKUP_HOSTNAME"] = host });
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    [Fact]
    public async Task Each_manifest_names_its_host_and_list_shows_it()
    {
        var config = Config();
        await RunAsHostAsync(config, "web-1");

        var list = await BackupCli.RunAsync(["list", "--config", config, "--json"]);
        var text = await BackupCli.RunAsync(["list", "--config", config]);

        Assert.Equal(0, list.ExitCode);
        var manifest = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("artifacts")[0].GetProperty("manifest");
        Assert.Equal("web-1", manifest.GetProperty("host").GetString());
        Assert.Contains(" web-1 ", text.Stdout);
        Assert.Contains("HOST", text.Stdout);
        Assert.DoesNotContain("hosts", text.Stderr);
    }

    [Fact]
    public async Task A_series_holding_two_hosts_artifacts_is_named_by_list_and_verify()
    {
        var config = Config();
        await RunAsHostAsync(config, "web-1");
        await RunAsHostAsync(config, "web-2");

        var list = await BackupCli.RunAsync(["list", "--config", config]);
        var verify = await BackupCli.RunAsync(["verify", "--all", "--config", config]);

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("warning: shared: home/data holds artifacts of 2 hosts (web-1, web-2)", list.Stderr);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("holds artifacts of 2 hosts (web-1, web-2)", verify.Stderr);
    }
}
