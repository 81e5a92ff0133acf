using System.Diagnostics;
using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// Hooks through the real `backup` program with real <c>/bin/sh</c> commands and a local destination:
/// the order they run in around the backups, their environment (and the secrets it never holds), and
/// what a failing, timed-out or skipping (exit 75) <c>before</c> does to its source and to the others.
/// </summary>
public sealed class HookCliSpecs : IDisposable
{
    private readonly TempDir _dir = new("hooks-cli");

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store");

    private string Order => _dir.Combine("order");

    /// <summary>
    /// A shell command that appends a line to the order file with the number of manifests stored so far,
    /// as a YAML double-quoted string.
    /// </summary>
    private string Note(string what) =>
        Quoted($"echo \"{what} $(find {Store} -name '*.manifest.json' | wc -l)\" >> {Order}");

    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// Sources home and mail (mail's directory exists only with <paramref name="mailExists"/>), a local
    /// destination, and the hooks given as YAML blocks (indented for their place).
    /// </summary>
    private string Config(string homeHooks = "", string mailHooks = "", string runHooks = "", bool mailExists = true)
    {
        _dir.Write("home/a.txt", "alpha");
        if (mailExists)
            _dir.Write("mail/m.txt", "mail");
        Directory.CreateDirectory(Store);
        return _dir.Write("backup.yaml", $"""
            {runHooks}
            sources:
              directories:
                home:
                  path: {_dir.Combine("home")}
                  destination: store
            {homeHooks}
                mail:
                  path: {_dir.Combine("mail")}
                  destination: store
            {mailHooks}
            destinations:
              store:
                method: local
                path: {Store}
            """);
    }

    private static Task<BackupCli.Result> RunAsync(string config, params string[] options) =>
        BackupCli.RunAsync(["run", "--config", config, .. options]);

    [Fact]
    public async Task Hooks_run_before_the_backup_and_after_it_and_on_failure_only_where_it_failed()
    {
        var config = Config(
            homeHooks: $"""
                      hooks:
                        before: [{Note("before home")}]
                        on_failure: [{Note("on_failure home")}]
                        after: [{Note("after home")}]
                """,
            mailHooks: $"""
                      hooks:
                        before: [{Note("before mail")}]
                        on_failure: [{Note("on_failure mail")}]
                        after: [{Note("after mail")}]
                """,
            runHooks: $"""
                hooks:
                  before: [{Note("run before")}]
                  on_failure: [{Note("run on_failure")}]
                  after: [{Note("run after")}]
                """,
            mailExists: false);

        var result = await RunAsync(config);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(
            [
                "run before 0",
                "before home 0", "after home 1",
                "before mail 1", "on_failure mail 1", "after mail 1",
                "run on_failure 1", "run after 1",
            ],
            File.ReadAllLines(Order));
    }

    [Fact]
    public async Task A_hooks_environment_names_its_source_and_status_and_holds_no_secret_of_the_config_or_the_tool()
    {
        // A MySQL password and an S3 secret from variables, and the AWS variable the SDK would read:
        // none may reach a hook. Only home runs; the config around it is loaded whole.
        var config = _dir.Write("secrets.yaml", $"""
            hooks:
              after: ["env > {_dir.Combine("run-after.env")}"]
            sources:
              directories:
                home:
                  path: {_dir.CreateDirectory("home")}
                  destination: store
                  hooks:
                    before: [[sh, -c, "env > {_dir.Combine("before.env")}"]]
                    after: ["env > {_dir.Combine("after.env")}; cp \"$BACKUP_REPORT\" {_dir.Combine("report.json")}"]
              mysqldump:
                prod:
                  databases: [shop]
                  host: 127.0.0.1
                  password: ${"{"}DB_PASSWORD{"}"}
                  destination: s3
            destinations:
              store:
                method: local
                path: {_dir.CreateDirectory("store")}
              s3:
                method: s3
                S3_BUCKET: backups
                endpoint: http://127.0.0.1:9
                AWS_ACCESS_KEY_ID: ${"{"}S3_KEY_ID{"}"}
                AWS_SECRET_ACCESS_KEY: ${"{"}S3_SECRET{"}"}
            """);
        var environment = new Dictionary<string, string?>
        {
            ["DB_PASSWORD"] = "db-password-marker",
            ["S3_KEY_ID"] = "s3-key-id-marker",
            ["S3_SECRET"] = "s3-secret-marker",
            ["AWS_SECRET_ACCESS_KEY"] = "aws-environment-marker",
        };

        var result = await BackupCli.RunAsync(["run", "--source", "home", "--json", "--config", config], environment: environment);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var before = Variables("before.env");
        Assert.Equal("before", before["BACKUP_HOOK"]);
        Assert.Equal("home", before["BACKUP_SOURCE"]);
        Assert.Equal("", before["BACKUP_ITEM"]);
        Assert.Equal("", before["BACKUP_STATUS"]);
        Assert.Equal("", before["BACKUP_REPORT"]);
        var after = Variables("after.env");
        Assert.Equal("after", after["BACKUP_HOOK"]);
        Assert.Equal("ok", after["BACKUP_STATUS"]);
        Assert.Equal("", after["BACKUP_ERROR"]);
        Assert.False(File.Exists(after["BACKUP_REPORT"]), "the report file is removed after the hooks");
        var runAfter = Variables("run-after.env");
        Assert.Equal("", runAfter["BACKUP_SOURCE"]);
        Assert.Equal("ok", runAfter["BACKUP_STATUS"]);

        var stored = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("artifacts")[0];
        var seen = JsonDocument.Parse(File.ReadAllText(_dir.Combine("report.json"))).RootElement.GetProperty("artifacts")[0];
        Assert.Equal(stored.GetProperty("key").GetString(), seen.GetProperty("key").GetString());
        Assert.Equal(stored.GetProperty("sha256").GetString(), seen.GetProperty("sha256").GetString());

        foreach (var file in new[] { "before.env", "after.env", "run-after.env" })
        {
            var text = File.ReadAllText(_dir.Combine(file));
            foreach (var (name, secret) in environment)
            {
                Assert.DoesNotContain(secret!, text);
                Assert.DoesNotContain($"{name}=", text);
            }
        }
    }

    [Fact]
    public async Task A_failing_before_hook_fails_its_source_and_the_other_sources_still_run()
    {
        var config = Config(homeHooks: """
                  hooks:
                    before: ["echo cannot stop the app >&2; exit 3"]
            """);

        var result = await RunAsync(config);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("FAILED home: sources.directories.home.hooks.before[0] failed: exit code 3: cannot stop the app", result.Stderr);
        Assert.Contains("sources.directories.home.hooks.before[0]: cannot stop the app", result.Stderr);
        Assert.Empty(Manifests("home"));
        Assert.Single(Manifests("mail"));
    }

    [Fact]
    public async Task A_timed_out_before_hook_fails_its_source_within_bounds_and_leaves_no_process_behind()
    {
        var pids = _dir.Combine("pids");
        var config = Config(homeHooks: $"""
                  hooks:
                    before: [[sh, -c, "sleep 600 & echo $$ $! > {pids}; wait"]]
                    timeout: 5s
            """);
        var clock = Stopwatch.StartNew();

        var result = await RunAsync(config);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains("FAILED home: sources.directories.home.hooks.before[0] timed out after 5s; its processes were killed", result.Stderr);
        // Both pids in one short write by builtins alone, done well within the timeout even on a loaded machine.
        var started = File.ReadAllText(pids).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Equal(2, started.Count);
        foreach (var pid in started)
            await ProcessesGone.UntilGoneAsync(pid);
        Assert.Empty(Manifests("home"));
        Assert.Single(Manifests("mail"));
    }

    [Fact]
    public async Task A_before_hook_exiting_75_skips_its_source_and_the_run_exits_0()
    {
        var config = Config(homeHooks: """
                  hooks:
                    before: ["exit 75"]
            """);

        var result = await RunAsync(config, "--json");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("skipped home: sources.directories.home.hooks.before[0] exited 75", result.Stderr);
        Assert.Contains("1 skipped", result.Stderr);
        var home = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("artifacts").EnumerateArray()
            .Single(a => a.GetProperty("source").GetString() == "home");
        Assert.Equal("skipped", home.GetProperty("status").GetString());
        Assert.Empty(Manifests("home"));
    }

    [Fact]
    public async Task An_after_hook_runs_after_a_failure_and_what_it_writes_goes_to_the_log()
    {
        var config = Config(mailHooks: """
                  hooks:
                    after: ["echo \"mail ended $BACKUP_STATUS: $BACKUP_ERROR\""]
            """, mailExists: false);

        var result = await RunAsync(config);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        var line = Assert.Single(result.Stderr.Split('\n'), l => l.Contains("sources.directories.mail.hooks.after[0]: mail ended"));
        Assert.Contains("mail ended failed: mail: ", line);
        Assert.Contains(_dir.Combine("mail"), line);
    }

    [Fact]
    public async Task An_after_hook_still_running_when_the_run_is_interrupted_keeps_its_report_which_is_gone_once_the_run_exits()
    {
        // The run's after hook says where its report is, waits for the spec's go (sent after SIGTERM), then reads it.
        var started = _dir.Combine("hook-started");
        var go = _dir.Combine("go");
        var copy = _dir.Combine("report-copy");
        var config = Config(runHooks: $$"""
            hooks:
              after: ['echo "$BACKUP_REPORT" > {{started}}; while [ ! -f {{go}} ]; do sleep 0.05; done; cp "$BACKUP_REPORT" {{copy}}']
            """);
        using var run = new RunningBackup(["run", "--config", config], new Dictionary<string, string?>());
        await Poll.UntilAsync(() => File.Exists(started) && File.ReadAllText(started).Trim().Length > 0, $"the after hook to start:\n{run.Stderr}");
        var report = File.ReadAllText(started).Trim();

        Tools.Sh($"kill -TERM {run.Id}");
        File.WriteAllText(go, "");
        var result = await run.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.True(File.Exists(copy), $"exit {result.ExitCode}; the hook could not read its report:\n{result.Stderr}");
        Assert.Contains("\"status\": \"ok\"", File.ReadAllText(copy));
        Assert.False(File.Exists(report), $"{report} outlived the run");
        Assert.False(Directory.Exists(Path.GetDirectoryName(report)), $"the report's private folder outlived the run");
    }

    /// <summary>The manifests of a source in the store (its folder also holds its lock's files).</summary>
    private string[] Manifests(string source) =>
        Directory.Exists(Path.Combine(Store, source))
            ? Directory.GetFiles(Path.Combine(Store, source), "*.manifest.json", SearchOption.AllDirectories)
            : [];

    private Dictionary<string, string> Variables(string file) =>
        File.ReadAllLines(_dir.Combine(file))
            .Where(l => l.Contains('='))
            .Select(l => (Name: l[..l.IndexOf('=')], Value: l[(l.IndexOf('=') + 1)..]))
            .GroupBy(v => v.Name)
            .ToDictionary(g => g.Key, g => g.Last().Value);
}
