using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Logging;

/// <summary>
/// <c>--log-format json</c> through the real program: every line on stderr is one JSON object with
/// time, level and message (and the command, source and item where known), for runs that succeed, fail,
/// and never start.
/// </summary>
public sealed class JsonLogCliSpecs : IDisposable
{
    private const string Password = "Pa55-Never-In-Logs";
    private readonly TempDir _dir = new("json-log");

    public void Dispose() => _dir.Dispose();

    private string Config(bool broken = false)
    {
        _dir.Write("docs/report.txt", "quarterly figures");
        Directory.CreateDirectory(_dir.Combine("store"));
        // A MariaDB that is not there (a free port), with a password that no line may show.
        var database = broken
            ? $$"""
                mysqldump:
                  shop: { host: 127.0.0.1, port: {{LoopbackPort.Free()}}, user: backup, password: "${DB_PASSWORD}", databases: [shop], destination: store }
              """
            : "";
        return _dir.Write("backup.yaml", $$"""
            sources:
            {{database}}
              directories:
                docs: { path: {{_dir.Combine(broken ? "missing" : "docs")}}, destination: store, compress: gzip }
            destinations:
              store: { method: local, path: {{_dir.Combine("store")}} }
            """);
    }

    private static readonly Dictionary<string, string?> Environment = new() { ["DB_PASSWORD"] = Password };

    /// <summary>Each line of <paramref name="stderr"/> parsed; fails on any line that is not one JSON object with the three keys.</summary>
    private static List<JsonElement> Objects(string stderr)
    {
        Assert.DoesNotContain('\r', stderr);
        var lines = stderr.Split('\n');
        Assert.Equal("", lines[^1]);
        var objects = new List<JsonElement>();
        foreach (var line in lines[..^1])
        {
            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line: {line} ({e.Message})");
            }

            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            var time = element.GetProperty("time").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", time);
            Assert.InRange(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Contains(element.GetProperty("level").GetString(), new[] { "info", "warn", "error" });
            Assert.False(string.IsNullOrEmpty(element.GetProperty("message").GetString()));
            objects.Add(element);
        }

        Assert.NotEmpty(objects);
        return objects;
    }

    private static string? Field(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.ToString() : null;

    [Fact]
    public async Task A_successful_run_logs_one_object_per_line_with_the_artifact_s_source_item_and_sizes()
    {
        var run = await BackupCli.RunAsync(["run", "--config", Config(), "--log-format", "json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = Objects(run.Stderr);
        Assert.All(lines, l => Assert.Equal("run", Field(l, "command")));
        var stored = Assert.Single(lines, l => Field(l, "status") == "ok" && Field(l, "key") is not null);
        Assert.Equal(("docs", "docs", "info"), (Field(stored, "source"), Field(stored, "item"), Field(stored, "level")));
        Assert.True(stored.GetProperty("stored_bytes").GetInt64() > 0);
        Assert.Single(lines, l => Field(l, "message")!.StartsWith("start docs/docs", StringComparison.Ordinal));
        var summary = lines[^1];
        Assert.StartsWith("summary: 1 ok", Field(summary, "message"));
        Assert.Equal(1, summary.GetProperty("ok").GetInt32());
    }

    [Fact]
    public async Task A_failing_run_logs_its_failures_as_error_objects_and_never_the_password()
    {
        var run = await BackupCli.RunAsync(["run", "--config", Config(broken: true), "--log-format", "json"], environment: Environment);

        Assert.True(run.ExitCode == 1, run.Stderr);
        var lines = Objects(run.Stderr);
        Assert.DoesNotContain(Password, run.Stderr);
        var failures = lines.Where(l => Field(l, "level") == "error" && Field(l, "status") == "failed").ToList();
        Assert.Equal(["docs", "shop"], failures.Select(l => Field(l, "source")).Order());
        Assert.All(failures, l => Assert.StartsWith("FAILED ", Field(l, "message")));
        Assert.Equal("error", Field(lines[^1], "level"));
    }

    [Fact]
    public async Task Config_errors_are_one_object_each_with_their_yaml_path_and_line_and_masked_secrets()
    {
        // The password pasted into `port` too: its error must not quote it.
        var config = _dir.Write("backup.yaml", """
            sources:
              mysqldump:
                shop:
                  password: "${DB_PASSWORD}"
                  port: "${DB_PASSWORD}"
                  databases: [shop]
                  temp: /tmp
                  compres: gzip
            """);

        var run = await BackupCli.RunAsync(["run", "--config", config, "--log-format", "json"], environment: Environment);

        Assert.Equal(2, run.ExitCode);
        var lines = Objects(run.Stderr);
        Assert.DoesNotContain(Password, run.Stderr);
        var errors = lines.Where(l => Field(l, "yaml_path") is not null).ToList();
        Assert.Contains(errors, l => Field(l, "yaml_path") == "sources.mysqldump.shop.port" && Field(l, "line") == "5");
        Assert.Contains(errors, l => Field(l, "yaml_path") == "sources.mysqldump.shop.compres" && Field(l, "line") == "8");
        Assert.All(errors, l => Assert.Equal(config, Field(l, "config")));
        Assert.StartsWith("Fix the config", Field(lines[^1], "message"));
    }

    [Fact]
    public async Task The_format_can_come_from_the_environment_and_usage_errors_are_json_too()
    {
        var run = await BackupCli.RunAsync(["run", "--config", Config(), "--no-such-option"],
            environment: new Dictionary<string, string?> { ["BACKUP_LOG_FORMAT"] = "json" });

        Assert.Equal(2, run.ExitCode);
        var lines = Objects(run.Stderr);
        Assert.Contains(lines, l => Field(l, "level") == "error" && Field(l, "message")!.Contains("--no-such-option", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_format_is_a_usage_error_that_names_the_choices()
    {
        var option = await BackupCli.RunAsync(["validate", "--config", Config(), "--log-format", "yaml"]);
        var variable = await BackupCli.RunAsync(["validate", "--config", Config()],
            environment: new Dictionary<string, string?> { ["BACKUP_LOG_FORMAT"] = "xml" });

        Assert.Equal(2, option.ExitCode);
        Assert.Contains("--log-format: 'yaml' is not a log format; write text or json", option.Stderr);
        Assert.Equal(2, variable.ExitCode);
        Assert.Contains("BACKUP_LOG_FORMAT: 'xml' is not a log format; set it to text or json, or unset it", variable.Stderr);
    }

    [Fact]
    public async Task On_a_terminal_there_is_no_live_status_line_only_json_objects()
    {
        // script(1) gives the program a terminal; stdin and stdout are taken off it, so what arrives
        // there is stderr alone (.NET sets up a terminal it reads or writes stdout to with escape
        // codes of its own). In text mode a status line would be drawn there (redrawn with '\r' twice
        // a second) while bzip2 works through 24 MiB of noise.
        var config = Config();
        Tools.Sh($"head -c 25165824 /dev/urandom > {_dir.Combine("docs", "noise.bin")}", _dir.Path);
        File.WriteAllText(config, File.ReadAllText(config).Replace("compress: gzip", "compress: bzip2", StringComparison.Ordinal));
        var command = $"env --default-signal dotnet {Path.Combine(AppContext.BaseDirectory, "backup.dll")} run --config {config} --log-format json < /dev/null > /dev/null";
        var info = new ProcessStartInfo("script", ["--quiet", "--return", "--command", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await output);
        var terminal = (await output).Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = Objects(terminal);
        var stored = Assert.Single(lines, l => Field(l, "status") == "ok" && Field(l, "key") is not null);
        Assert.True(stored.GetProperty("seconds").GetDouble() > 1, "the artifact was too quick for a status line to have been drawn");
    }
}
