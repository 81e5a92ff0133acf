using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Locking.Native;
using Backup.Core.Storage;

namespace Backup.Core.Scheduling;

/// <summary>
/// The daemon's memory of the last slot it started for each source: one small JSON file per source,
/// written durably (<see cref="DurableFile"/>) when a slot starts, read at start-up to tell whether a
/// slot was missed while the daemon was down (<c>catch_up</c>).
/// </summary>
/// <remarks>
/// Written when a slot starts, not when it ends: a run that kills the daemon (out of memory, a reboot)
/// is then not repeated at every restart, which under <c>Restart=always</c> would be a loop; a run that
/// failed is the failure notification's business, not catch-up's. The files live in a durable state
/// directory, not beside the lock files: those are on tmpfs (<c>/run/lock</c>, <c>$XDG_RUNTIME_DIR</c>),
/// and a reboot, the most common downtime, would wipe what catch-up needs. A file is named by the source
/// and a hash of the config's full path, so two daemons with different configs never share one.
/// </remarks>
public sealed class SlotRecords(string directory, string configPath)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string Directory { get; } = directory;

    /// <summary>root: <c>/var/lib/backup</c>; others: <c>$XDG_STATE_HOME/backup</c>, else <c>~/.local/state/backup</c>.</summary>
    public static string DefaultDirectory()
    {
        if (FileLockCalls.EffectiveUser == 0)
            return "/var/lib/backup";
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "backup");
    }

    public string PathOf(string source)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(configPath) + "\n" + source));
        return Path.Combine(Directory, $"{ArtifactNaming.Safe(source)}-{Convert.ToHexStringLower(hash)[..12]}.last-slot.json");
    }

    /// <summary>The record of <paramref name="source"/>, or null when there is none; an unreadable one throws (the caller says so and goes on without).</summary>
    public SlotRecord? Read(string source)
    {
        var path = PathOf(source);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<SlotRecord>(File.ReadAllBytes(path), Json)
                   ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is not a slot record ({e.Message}); it is replaced by the next slot", e);
        }
    }

    /// <summary>Replaces the record of its source, durably; the directory is made (0700) if missing.</summary>
    public void Write(SlotRecord record)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the daemon needs Linux");
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        DurableFile.Write(PathOf(record.Source), JsonSerializer.SerializeToUtf8Bytes(record, Json));
    }
}
