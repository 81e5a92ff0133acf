using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Notifications;

/// <summary>
/// Notifications through the real <c>backup</c> program: a run to a local destination tells a webhook
/// and a healthchecks check (real HTTP servers on loopback) of its start and end, and a receiver that
/// is down changes nothing but a warning.
/// </summary>
public sealed class NotificationCliSpecs : IAsyncDisposable
{
    private const string HookToken = "Hook-T0ken-In-Path";
    private const string CheckId = "5f3e1d2c-0b9a-4877-8665-544332211000";

    private readonly TempDir _dir = new("notify-cli");
    private readonly LoopbackHttpReceiver _hook = new();
    private readonly LoopbackHttpReceiver _checks = new();

    public async ValueTask DisposeAsync()
    {
        await _hook.DisposeAsync();
        await _checks.DisposeAsync();
        _dir.Dispose();
    }

    private string Config(string hookUrl, string hookKeys = "on: [start, success, warning, failure]", string extraSource = "")
    {
        _dir.Write("data/file.txt", "content to back up");
        Directory.CreateDirectory(_dir.Combine("store"));
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                home: {"{"} path: {_dir.Combine("data")}, destination: vault {"}"}
                {extraSource}
            destinations:
              vault: {"{"} method: local, path: {_dir.Combine("store")} {"}"}
            notifications:
              hook:
                method: webhook
                url: {hookUrl}
                {hookKeys}
              hc:
                method: healthchecks
                url: {_checks.Url($"/ping/{CheckId}")}
            """);
    }

    private static Dictionary<string, string?> Host => new() { ["BACKUP_HOSTNAME"] = "notify-spec-host" };

    [Fact]
    public async Task A_run_tells_the_webhook_and_the_check_of_its_start_and_its_end_with_what_it_stored()
    {
        var config = Config(_hook.Url($"/hooks/{HookToken}"));

        var result = await BackupCli.RunAsync(["run", "--config", config, "--json"], environment: Host);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var hook = await _hook.WaitForAsync(2);
        using var start = JsonDocument.Parse(hook[0].Body);
        using var end = JsonDocument.Parse(hook[1].Body);
        Assert.Equal(("start", "started"), (start.RootElement.GetProperty("event").GetString(), start.RootElement.GetProperty("status").GetString()));
        Assert.Equal(("end", "success", 0), (end.RootElement.GetProperty("event").GetString(), end.RootElement.GetProperty("status").GetString(), end.RootElement.GetProperty("exit_code").GetInt32()));
        Assert.Equal("notify-spec-host", end.RootElement.GetProperty("host").GetString());
        Assert.Equal(config, end.RootElement.GetProperty("config").GetString());
        var runId = end.RootElement.GetProperty("run_id").GetString();
        Assert.Equal(runId, start.RootElement.GetProperty("run_id").GetString());

        using var report = JsonDocument.Parse(result.Stdout);
        var stored = report.RootElement.GetProperty("artifacts")[0];
        var told = end.RootElement.GetProperty("artifacts")[0];
        Assert.Equal(("home", "ok"), (told.GetProperty("source").GetString(), told.GetProperty("status").GetString()));
        Assert.Equal(stored.GetProperty("key").GetString(), told.GetProperty("key").GetString());
        Assert.Equal(stored.GetProperty("stored_size").GetInt64(), told.GetProperty("stored_size").GetInt64());
        Assert.True(File.Exists(Path.Combine(_dir.Combine("store"), stored.GetProperty("key").GetString()!)));

        var pings = await _checks.WaitForAsync(2);
        Assert.Equal([$"/ping/{CheckId}/start?rid={runId}", $"/ping/{CheckId}/0?rid={runId}"], pings.Select(p => p.Target));
        Assert.StartsWith("backup on notify-spec-host: success\n1 ok, 0 with warnings, 0 failed", pings[1].Text);
        Assert.Contains("notifications.hook: sent (end, success)", result.Stderr);
        Assert.Contains("notifications.hc: sent (start)", result.Stderr);
        Assert.DoesNotContain(HookToken, result.Stderr + result.Stdout);
        Assert.DoesNotContain(CheckId, result.Stderr + result.Stdout);
        Assert.Empty(report.RootElement.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_a_warning_and_the_backup_and_its_exit_code_are_unchanged()
    {
        var down = $"http://127.0.0.1:{LoopbackPort.Free()}/hooks/{HookToken}";
        var config = Config(down, "on: [success]\n    retries: 0");

        var result = await BackupCli.RunAsync(["run", "--config", config, "--json"], environment: Host);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var report = JsonDocument.Parse(result.Stdout);
        var artifact = report.RootElement.GetProperty("artifacts")[0];
        Assert.Equal("ok", artifact.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_dir.Combine("store"), artifact.GetProperty("key").GetString()!)));
        const string warning = "notifications.hook: not sent (end, success): cannot connect (ConnectionRefused)";
        Assert.Equal([warning], report.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains($"warning: {warning}", result.Stderr);
        Assert.Contains("summary: 1 ok, 0 with warnings, 0 failed", result.Stderr);
        Assert.DoesNotContain(HookToken, result.Stderr + result.Stdout);
        // The other entry was unaffected.
        Assert.Equal(2, (await _checks.WaitForAsync(2)).Count);
    }

    [Fact]
    public async Task A_failed_source_is_reported_as_a_failure_and_the_run_still_exits_1()
    {
        var missing = _dir.Combine("not-mounted");
        var config = Config(_hook.Url($"/hooks/{HookToken}"), "on: failure",
            $"broken: {{ path: {missing}, destination: vault }}");

        var result = await BackupCli.RunAsync(["run", "--config", config], environment: Host);

        Assert.True(result.ExitCode == 1, result.Stderr);
        using var end = JsonDocument.Parse(Assert.Single(await _hook.WaitForAsync(1)).Body);
        Assert.Equal(("failure", 1), (end.RootElement.GetProperty("status").GetString(), end.RootElement.GetProperty("exit_code").GetInt32()));
        var broken = end.RootElement.GetProperty("artifacts").EnumerateArray().Single(a => a.GetProperty("source").GetString() == "broken");
        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.Contains($"directory '{missing}' does not exist", broken.GetProperty("error").GetString());
        Assert.Equal($"/ping/{CheckId}/1", (await _checks.WaitForAsync(2))[1].Target.Split('?')[0]);
    }

    [Fact]
    public async Task A_dry_run_sends_nothing()
    {
        var config = Config(_hook.Url($"/hooks/{HookToken}"));

        var result = await BackupCli.RunAsync(["run", "--dry-run", "--config", config], environment: Host);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("dry run: notifications are not sent", result.Stderr);
        Assert.Empty(_hook.Requests);
        Assert.Empty(_checks.Requests);
    }
}
