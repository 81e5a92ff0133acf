using System.Globalization;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real Prometheus node_exporter (Debian's <c>prometheus-node-exporter</c>) on loopback with only
/// its textfile collector, reading <see cref="TextfileDirectory"/>: what an operator's host runs to pick
/// up <c>metrics_file</c>. Missing, it fails the spec (in CI as anywhere), never skips.
/// </summary>
public sealed class NodeExporter : IAsyncLifetime
{
    private const string Program = "prometheus-node-exporter";
    private readonly TempDir _textfiles = new("textfiles");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private BackgroundProgram? _program;

    public int Port { get; } = LoopbackPort.Free();

    public string TextfileDirectory => _textfiles.Path;

    public async Task InitializeAsync()
    {
        if (ProgramPath.TryResolve(Program) is null)
            throw new InvalidOperationException($"{Program} is not installed: run scripts/install-test-deps.sh (Debian package prometheus-node-exporter)");
        var program = _program = BackgroundProgram.Start(ChildProcess.Create(Program,
        [
            "--collector.disable-defaults", "--collector.textfile", $"--collector.textfile.directory={TextfileDirectory}",
            $"--web.listen-address=127.0.0.1:{Port}",
        ]));
        await Poll.ForAsync(async () =>
        {
            program.ThrowIfExited(Program);
            try
            {
                return await _http.GetStringAsync($"http://127.0.0.1:{Port}/metrics");
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, $"{Program} to listen on 127.0.0.1:{Port}");
    }

    /// <summary>
    /// One scrape: every sample as node_exporter re-exposes it, keyed by its name and labels in the
    /// exporter's order (sorted by label name), e.g. <c>backup_last_raw_bytes{item="data",source="home"}</c>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> ScrapeAsync()
    {
        var text = await _http.GetStringAsync($"http://127.0.0.1:{Port}/metrics");
        return text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => (Key: line[..line.LastIndexOf(' ')], Value: double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_program is not null)
            await _program.DisposeAsync();
        _http.Dispose();
        _textfiles.Dispose();
    }
}
