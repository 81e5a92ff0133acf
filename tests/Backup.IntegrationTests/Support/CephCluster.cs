using System.Diagnostics;
using System.Text.Json;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A throwaway Ceph cluster in a temporary folder: one monitor, one memstore OSD and one RADOS
/// Gateway (beast, on a free 127.0.0.1 port), with its own ceph.conf (<see cref="CephConf"/>) and
/// keyrings made by ceph-authtool. Every wait is bounded and names what did not come up, with the
/// tail of that daemon's log. Disposing stops the daemons by their pid files, gateway first and
/// monitor last (each one depends on those started before it), and removes the folder.
/// </summary>
public sealed class CephCluster : IAsyncDisposable
{
    // One CLI call; the CLI's own --connect-timeout is shorter, so a silent monitor ends it cleanly.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    // From nothing to a gateway answering took 2–4 s here; these leave room for a loaded machine.
    private static readonly TimeSpan MonitorTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OsdTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan GatewayTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PidFileTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDir _dir;
    private readonly CephDaemon _monitor;
    private readonly CephDaemon _osd;
    private readonly CephDaemon _gateway;
    private readonly int _monitorPort;
    private readonly List<string> _phases = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private CephCluster(TempDir dir)
    {
        _dir = dir;
        _monitor = new CephDaemon(dir.Path, $"mon.{CephConf.Monitor}");
        _osd = new CephDaemon(dir.Path, $"osd.{CephConf.Osd}");
        _gateway = new CephDaemon(dir.Path, CephConf.Gateway);
        _monitorPort = LoopbackPort.Free();
        do
            GatewayPort = LoopbackPort.Free();
        while (GatewayPort == _monitorPort);
    }

    public int GatewayPort { get; }

    public string ConfPath => _dir.Combine("ceph.conf");

    /// <summary>When each daemon was ready since the start began, e.g. "monitor up at 0.4 s, osd up at 0.9 s, gateway up at 2.0 s".</summary>
    public string StartupReport => string.Join(", ", _phases);

    /// <summary>Starts a cluster; on any failure stops what already runs and removes the folder.</summary>
    public static async Task<CephCluster> StartAsync()
    {
        CephPrograms.RequireInstalled();
        var dir = CephLeftovers.CreateOwnedFolder();
        // Beside the other specs' temporary folders: where a killed run left its cluster.
        await CephLeftovers.SweepAsync(Path.GetDirectoryName(dir.Path)!);
        var cluster = new CephCluster(dir);
        try
        {
            await cluster.BootstrapAsync();
            return cluster;
        }
        catch
        {
            // The start's own error is the one to report; a daemon that then also hangs is killed.
            await cluster.StopAsync();
            throw;
        }
    }

    /// <summary>Runs the ceph CLI as client.admin; returns its stdout.</summary>
    public Task<string> CephAsync(params string[] arguments) =>
        CephPrograms.RunAsync("ceph", ["-c", ConfPath, "--connect-timeout", $"{ConnectTimeout.TotalSeconds:0}", .. arguments], CommandTimeout);

    /// <summary>Runs radosgw-admin as client.admin, with <paramref name="stdin"/> (where it reads JSON).</summary>
    public Task<string> RadosgwAdminAsync(string? stdin, params string[] arguments) =>
        CephPrograms.RunAsync("radosgw-admin", ["-c", ConfPath, .. arguments], CommandTimeout, stdin);

    public async ValueTask DisposeAsync()
    {
        var problems = await StopAsync();
        if (problems.Count > 0)
            throw new InvalidOperationException("the Ceph cluster did not stop cleanly: " + string.Join("; ", problems));
    }

    /// <summary>Stops the daemons in order and removes the folder; returns what went wrong.</summary>
    private async Task<List<string>> StopAsync()
    {
        var problems = new List<string>();
        foreach (var daemon in new[] { _gateway, _osd, _monitor })
            if (await daemon.StopAsync() is { } problem)
                problems.Add(problem);
        _dir.Dispose();
        return problems;
    }

    private async Task BootstrapAsync()
    {
        var fsid = Guid.NewGuid().ToString();
        var osdUuid = Guid.NewGuid().ToString();
        foreach (var sub in new[] { "run", "log", $"mon/{CephConf.Monitor}", $"osd/{CephConf.Osd}", "gateway" })
            _dir.CreateDirectory(sub);
        _dir.Write("ceph.conf", CephConf.Render(_dir.Path, fsid, _monitorPort, GatewayPort));

        await MakeKeyringsAsync();
        var monmap = _dir.Combine("monmap");
        await RunAsync("monmaptool", "--create", "--fsid", fsid, "--addv", CephConf.Monitor, $"[v2:127.0.0.1:{_monitorPort}]", monmap);
        await RunAsync("ceph-mon", "-c", ConfPath, "--mkfs", "-i", CephConf.Monitor, "--monmap", monmap,
            "--keyring", _dir.Combine("mon.keyring"));
        await StartDaemonAsync(_monitor, "ceph-mon", "-c", ConfPath, "-i", CephConf.Monitor);
        await WaitAsync(_monitor, "the monitor has no quorum", MonitorTimeout, HasQuorumAsync);
        Phase("monitor");

        await CephAsync("osd", "new", osdUuid, $"{CephConf.Osd}");
        await RunAsync("ceph-osd", "-c", ConfPath, "-i", $"{CephConf.Osd}", "--mkfs", "--osd-uuid", osdUuid);
        await StartDaemonAsync(_osd, "ceph-osd", "-c", ConfPath, "-i", $"{CephConf.Osd}");
        await WaitAsync(_osd, "the OSD is not up and in", OsdTimeout, OsdIsUpAsync);
        Phase("osd");

        // The gateway creates its pools at first start, then listens.
        await StartDaemonAsync(_gateway, "radosgw", "-c", ConfPath, "-n", CephConf.Gateway);
        await WaitAsync(_gateway, $"the gateway does not answer HTTP on 127.0.0.1:{GatewayPort}", GatewayTimeout, GatewayAnswersAsync);
        Phase("gateway");
    }

    /// <summary>
    /// One key per daemon plus client.admin, all imported into the monitor's initial keyring before
    /// its mkfs, so no <c>ceph auth add</c> is needed later. ceph-authtool makes the keys: none is
    /// ever on a command line.
    /// </summary>
    private async Task MakeKeyringsAsync()
    {
        var monitorKeyring = _dir.Combine("mon.keyring");
        await RunAsync("ceph-authtool", "--create-keyring", monitorKeyring, "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
        (string Keyring, string Entity, string[] Caps)[] keys =
        [
            (_dir.Combine("admin.keyring"), "client.admin",
                ["--cap", "mon", "allow *", "--cap", "osd", "allow *", "--cap", "mds", "allow *", "--cap", "mgr", "allow *"]),
            (_dir.Combine("osd", $"{CephConf.Osd}", "keyring"), $"osd.{CephConf.Osd}",
                ["--cap", "mon", "allow profile osd", "--cap", "osd", "allow *", "--cap", "mgr", "allow profile osd"]),
            (_dir.Combine("gateway.keyring"), CephConf.Gateway, ["--cap", "mon", "allow rw", "--cap", "osd", "allow rwx"]),
        ];
        foreach (var (keyring, entity, caps) in keys)
        {
            await RunAsync("ceph-authtool", ["--create-keyring", keyring, "--gen-key", "-n", entity, .. caps]);
            await RunAsync("ceph-authtool", monitorKeyring, "--import-keyring", keyring);
        }
    }

    /// <summary>Runs a daemon, which forks into the background once set up and writes its pid file.</summary>
    private async Task StartDaemonAsync(CephDaemon daemon, string program, params string[] arguments)
    {
        var (outcome, _) = await CephPrograms.TryRunAsync(program, arguments, CommandTimeout);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{daemon.Name} did not start ({outcome.Describe()}); log: {daemon.LogTail()}");
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails early when the daemon died, and at the deadline.</summary>
    private static async Task WaitAsync(CephDaemon daemon, string what, TimeSpan timeout, Func<Task<bool>> ready)
    {
        var waited = Stopwatch.StartNew();
        string? lastError = null;
        var seen = false;
        while (true)
        {
            // radosgw forks with daemon(3): its parent can return before the child writes the pid file.
            if (daemon.RunningPid() is not null)
                seen = true;
            else if (seen || waited.Elapsed > PidFileTimeout)
                throw new InvalidOperationException(
                    $"{daemon.Name} {(seen ? "exited while starting" : "wrote no pid file")} ({what}); log: {daemon.LogTail()}");
            try
            {
                if (await ready())
                    return;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException
                                           or JsonException or KeyNotFoundException)
            {
                lastError = e.Message;
            }

            if (waited.Elapsed > timeout)
                throw new TimeoutException(
                    $"{daemon.Name} not ready after {timeout.TotalSeconds:0} s: {what}" +
                    (lastError is null ? "" : $" (last check: {lastError})") + $"; log: {daemon.LogTail()}");
            await Task.Delay(100);
        }
    }

    private async Task<bool> HasQuorumAsync()
    {
        using var status = JsonDocument.Parse(await CephAsync("quorum_status", "-f", "json"));
        return status.RootElement.GetProperty("quorum_names").EnumerateArray().Any(n => n.GetString() == CephConf.Monitor);
    }

    private async Task<bool> OsdIsUpAsync()
    {
        using var dump = JsonDocument.Parse(await CephAsync("osd", "dump", "-f", "json"));
        return dump.RootElement.GetProperty("osds").EnumerateArray().Any(osd =>
            osd.GetProperty("osd").GetInt32() == CephConf.Osd && osd.GetProperty("up").GetInt32() == 1 && osd.GetProperty("in").GetInt32() == 1);
    }

    private async Task<bool> GatewayAnswersAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // Any HTTP answer (anonymous gets an empty bucket list) means the frontend serves requests.
            using var response = await http.GetAsync($"http://127.0.0.1:{GatewayPort}/");
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static Task<string> RunAsync(string program, params string[] arguments) =>
        CephPrograms.RunAsync(program, arguments, CommandTimeout);

    private void Phase(string name) => _phases.Add($"{name} up at {_clock.Elapsed.TotalSeconds:0.0} s");
}
