using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backup.Core.Locking;

/// <summary>
/// Who holds a lock, as written into the local lock file and into every lock object of a destination:
/// enough for a clear message (host, pid, command, start) and for a contender on the same host to
/// tell whether that process still exists. No secret is ever part of it (no argv, no config values).
/// </summary>
public sealed record LockHolder
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Unique per run and source: tells our own lock object from anyone else's.</summary>
    public required string Id { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    /// <summary>The kernel's boot id: a pid from before a reboot is never taken for a live process.</summary>
    public string? BootId { get; init; }

    /// <summary>The process's start time in clock ticks since boot (/proc/PID/stat): a reused pid is not the holder.</summary>
    public long? ProcessStart { get; init; }

    /// <summary>The command, e.g. <c>backup run</c>: its name only, never its arguments.</summary>
    public required string Command { get; init; }

    public string? Config { get; init; }

    public required string Source { get; init; }

    /// <summary>When the run took the lock, by the holder's clock (for messages only; no decision compares clocks).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>A lock object unchanged for this long is expired; the holder renews every third of it.</summary>
    public required double LeaseSeconds { get; init; }

    /// <summary>Incremented by every write (a renewal, or a claim's next attempt), so each one changes the object and its ETag.</summary>
    public long Renewal { get; init; }

    public string? ToolVersion { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The holder in <paramref name="json"/>, or null for anything else (empty, being written, damaged).</summary>
    public static LockHolder? TryParse(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
            return null;
        try
        {
            var holder = JsonSerializer.Deserialize<LockHolder>(json, Json);
            return holder is { Id.Length: > 0, Host.Length: > 0 } ? holder : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>For messages: <c>backup run (pid 4711 on host web1, started 2026-11-20 00:00:00Z, 5m 3s ago by this host's clock)</c>.</summary>
    public string Describe(DateTimeOffset now)
    {
        var age = now - Started;
        var ago = age >= TimeSpan.Zero ? $"{DurationText.Format(age)} ago by this host's clock" : "in the future by this host's clock";
        return $"{Command} (pid {Pid} on host {Host}, started {Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {ago})";
    }
}
