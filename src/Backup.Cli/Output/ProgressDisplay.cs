using System.Collections.Concurrent;
using System.Globalization;
using Backup.Core.Pipeline;
using Backup.Core.Running;

namespace Backup.Cli.Output;

/// <summary>
/// Shows the run on stderr. On a terminal: one live status line (bytes and rate per running artifact),
/// redrawn twice a second. In logs (not a terminal) and with <c>--log-format json</c>: start/finish
/// lines (JSON objects with the source, item, status and sizes), nothing redrawn.
/// </summary>
internal sealed class ProgressDisplay : IRunObserver, IDisposable
{
    private readonly ConcurrentDictionary<ArtifactProgress, byte> _running = new();
    private readonly bool _live = !Console.IsErrorRedirected && !Stderr.IsJson;
    private readonly Timer? _timer;

    public ProgressDisplay()
    {
        if (_live)
            _timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void ArtifactStarted(ArtifactProgress progress)
    {
        _running[progress] = 0;
        if (!_live)
            Stderr.Write("info", $"{Stamp()} start {progress.Label}", $"start {progress.Label}",
                [Stderr.Field("source", progress.Source), Stderr.Field("item", progress.Item)]);
    }

    public void ArtifactFinished(ArtifactProgress progress, ArtifactReport report)
    {
        _running.TryRemove(progress, out _);
        var status = report.Status.ToString().ToLowerInvariant();
        var detail = report.Status is ArtifactStatus.Ok or ArtifactStatus.Warning
            ? $"{ByteSize.Format(report.RawSize)} -> {ByteSize.Format(report.StoredSize)} in {report.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {report.Key}"
            : report.Error;
        var level = report.Status switch
        {
            ArtifactStatus.Ok => "info",
            ArtifactStatus.Warning => "warn",
            _ => "error",
        };
        Stderr.Write(level, $"{Stamp()} {status} {progress.Label} {detail}", $"{status} {progress.Label} {detail}",
        [
            Stderr.Field("source", report.Source), Stderr.Field("item", report.Item), Stderr.Field("status", status),
            Stderr.Field("raw_bytes", report.RawSize), Stderr.Field("stored_bytes", report.StoredSize),
            Stderr.Field("seconds", report.Seconds), Stderr.Field("key", report.Key),
        ]);
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
        Stderr.Status(status);
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
        Stderr.ClearStatus();
    }
}
