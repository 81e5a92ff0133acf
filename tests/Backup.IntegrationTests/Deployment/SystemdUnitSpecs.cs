using System.Diagnostics;
using Backup.Core.Processes;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Deployment;

/// <summary>
/// The units of examples/systemd/ pass <c>systemd-analyze verify</c> (Debian's systemd) with no word
/// about them, and say what matters: a oneshot whose exit 75 is no failure, a persistent timer, a
/// daemon that reloads on SIGHUP and is given longer to stop than a run takes to abort.
/// </summary>
public sealed class SystemdUnitSpecs : IDisposable
{
    private const string Program = "/opt/backup/backup";
    private static readonly string Examples = Path.Combine(RepoRoot.Path, "examples", "systemd");
    private static readonly string[] Units = ["backup.service", "backup.timer", "backup-daemon.service"];
    private readonly TempDir _dir = new("systemd-units");

    public void Dispose() => _dir.Dispose();

    /// <summary>The units as shipped, but starting the real program built beside the specs (verify checks that ExecStart's file is executable).</summary>
    private string[] Copied()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "backup");
        Assert.True(File.Exists(program), $"the program's apphost is missing: {program}");
        return Units.Select(unit =>
        {
            var text = File.ReadAllText(Path.Combine(Examples, unit));
            if (unit.EndsWith(".service", StringComparison.Ordinal))
                Assert.Contains($"ExecStart={Program} ", text);
            return _dir.Write(unit, text.Replace(Program, program, StringComparison.Ordinal));
        }).ToArray();
    }

    private static (int ExitCode, string Stderr) Verify(IEnumerable<string> units)
    {
        var tool = ProgramPath.TryResolve("systemd-analyze")
                   ?? throw new InvalidOperationException("systemd-analyze is not installed: run scripts/install-test-deps.sh (Debian package systemd)");
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("verify");
        foreach (var unit in units)
            info.ArgumentList.Add(unit);
        // verify reads the files alone: no systemd needs to run here (CI runs in a container without one).
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr + stdout.Result);
    }

    [Fact]
    public void The_shipped_units_verify_without_a_word_about_them()
    {
        var (exitCode, output) = Verify(Copied());

        var aboutOurs = output.Split('\n').Where(line => Units.Any(u => line.Contains(u, StringComparison.Ordinal))).ToList();
        Assert.True(exitCode == 0 && aboutOurs.Count == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }

    [Fact]
    public void Verify_would_tell_a_broken_unit()
    {
        // The check above can fail: an unknown key and a missing program are reported.
        var units = Copied();
        File.AppendAllText(units[0], "\n[Service]\nExecStartPre=/no/such/program\nRestartt=always\n");

        var (exitCode, output) = Verify(units);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("backup.service", output);
        Assert.Contains("/no/such/program", output);
    }

    private static Dictionary<string, List<string>> Keys(string unit)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var section = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(Examples, unit)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = $"{section}.{line[..equals]}";
            if (!keys.TryGetValue(key, out var values))
                keys[key] = values = [];
            values.Add(line[(equals + 1)..]);
        }

        return keys;
    }

    [Fact]
    public void The_oneshot_runs_the_config_and_counts_a_held_lock_as_success()
    {
        var service = Keys("backup.service");

        Assert.Equal(["oneshot"], service["Service.Type"]);
        Assert.Equal([$"{Program} run --config /etc/backup/backup.yaml"], service["Service.ExecStart"]);
        Assert.Equal(["75"], service["Service.SuccessExitStatus"]);
        Assert.Equal(["strict"], service["Service.ProtectSystem"]);
        Assert.Equal(["yes"], service["Service.PrivateTmp"]);
        Assert.Equal(["yes"], service["Service.NoNewPrivileges"]);
        Assert.DoesNotContain("Service.MemoryDenyWriteExecute", service.Keys);
    }

    [Fact]
    public void The_timer_is_daily_persistent_and_spread()
    {
        var timer = Keys("backup.timer");

        Assert.Equal(["daily"], timer["Timer.OnCalendar"]);
        Assert.Equal(["true"], timer["Timer.Persistent"]);
        Assert.Single(timer["Timer.RandomizedDelaySec"]);
        Assert.Equal(["backup.service"], timer["Timer.Unit"]);
        Assert.Equal(["timers.target"], timer["Install.WantedBy"]);
    }

    [Fact]
    public void The_daemon_reloads_on_sighup_and_gets_longer_to_stop_than_a_run_takes_to_abort()
    {
        var daemon = Keys("backup-daemon.service");

        Assert.Equal(["simple"], daemon["Service.Type"]);
        Assert.StartsWith($"{Program} daemon --config /etc/backup/backup.yaml", daemon["Service.ExecStart"].Single());
        Assert.Equal(["/bin/kill -HUP $MAINPID"], daemon["Service.ExecReload"]);
        Assert.Equal(["SIGTERM"], daemon["Service.KillSignal"]);
        Assert.Equal(["on-failure"], daemon["Service.Restart"]);
        var stop = Backup.Core.DurationText.TryParse(daemon["Service.TimeoutStopSec"].Single().Replace("min", "m", StringComparison.Ordinal));
        // The daemon lets running sources go on for its stop timeout (the unit gives no --stop-timeout), then
        // aborts them, which takes at most the 60 s grace of a SIGTERMed run, and sends what notifications are
        // pending (up to about a minute more): systemd must wait longer than all three.
        Assert.DoesNotContain("--stop-timeout", daemon["Service.ExecStart"].Single());
        var needed = Backup.Core.Scheduling.DaemonSettings.DefaultStopTimeout + TimeSpan.FromSeconds(60) + TimeSpan.FromSeconds(60);
        Assert.True(stop > needed, $"TimeoutStopSec={stop} is not above the {needed} a stopping daemon may take");
    }
}
