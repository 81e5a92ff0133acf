using System.Collections.Concurrent;
using System.Globalization;
using Backup.Core.Pipeline;
using Backup.Core.Running;

namespace Backup.Cli.Output;

/// <summary>
/// Shows the run on stderr. On a terminal: one live status line (bytes and rate per running artifact),
/// redrawn twice a second. In logs (not a terminal): plain start/finish lines, nothing redrawn.
/// </summary>
internal sealed class ProgressDisplay : IRunObserver, IDisposable
{
    private readonly ConcurrentDictionary<ArtifactProgress, byte> _running = new();
    private readonly Lock _console = new();
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly Timer? _timer;
    private int _statusLength;

    public ProgressDisplay()
    {
        if (_live)
            _timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void ArtifactStarted(ArtifactProgress progress)
    {
        _running[progress] = 0;
        if (!_live)
            WriteLine($"{Stamp()} start {progress.Label}");
    }

    public void ArtifactFinished(ArtifactProgress progress, ArtifactReport report)
    {
        _running.TryRemove(progress, out _);
        var status = report.Status.ToString().ToLowerInvariant();
        var detail = report.Status is ArtifactStatus.Ok or ArtifactStatus.Warning
            ? $"{ByteSize.Format(report.RawSize)} -> {ByteSize.Format(report.StoredSize)} in {report.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {report.Key}"
            : report.Error;
        WriteLine($"{Stamp()} {status} {progress.Label} {detail}");
    }

    /// <summary>Writes a whole line without tearing the live status line.</summary>
    public void WriteLine(string line)
    {
        lock (_console)
        {
            ClearStatus();
            Console.Error.WriteLine(line);
        }
    }

    private void Redraw()
    {
        var parts = _running.Keys.Select(p =>
        {
            var seconds = Math.Max(0.001, (DateTimeOffset.UtcNow - p.Started).TotalSeconds);
            // When tar is joined to zstd and gpg by OS pipes, its bytes are only counted at the end.
            return p.RawBytes == 0
                ? $"{p.Label} {ByteSize.Format(p.StoredBytes)} stored, {ByteSize.Format(p.StoredBytes / seconds)}/s"
                : $"{p.Label} {ByteSize.Format(p.RawBytes)} read, {ByteSize.Format(p.StoredBytes)} stored, {ByteSize.Format(p.RawBytes / seconds)}/s";
        }).ToList();
        if (parts.Count == 0)
            return;
        var status = string.Join(" | ", parts);
        var width = Math.Max(20, SafeWidth() - 1);
        if (status.Length > width)
            status = status[..width];
        lock (_console)
        {
            ClearStatus();
            Console.Error.Write(status);
            _statusLength = status.Length;
        }
    }

    private void ClearStatus()
    {
        if (_statusLength == 0)
            return;
        Console.Error.Write("\r" + new string(' ', _statusLength) + "\r");
        _statusLength = 0;
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    private static string Stamp() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_console)
            ClearStatus();
    }
}
