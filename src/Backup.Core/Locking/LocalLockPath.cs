using System.Security.Cryptography;
using System.Text;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Locking.Native;

namespace Backup.Core.Locking;

/// <summary>
/// Where the local lock of a source lives. A source with a state file (an incremental directory's
/// snapshot) is locked beside it, <c>SNAPSHOT.lock</c>: whoever shares the state shares the lock.
/// Any other source is locked in a per-user directory under a name made of the source and a hash of
/// where it writes (its destinations and temp), so two configs that write the same place exclude each
/// other, and unrelated configs that happen to reuse a source name do not.
/// </summary>
public static class LocalLockPath
{
    public static string For(SourceConfig source, IReadOnlyList<IDestination> destinations, string? lockDirectory)
    {
        if (source.StateFile is { } state)
            return Path.GetFullPath(state) + ".lock";

        var places = destinations.Select(d => d.Location).ToList();
        if (source.Temp is { } temp)
            places.Add("temp:" + Path.GetFullPath(temp));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", places.Order(StringComparer.Ordinal))));
        return Path.Combine(lockDirectory ?? DefaultDirectory(), $"{ArtifactNaming.Safe(source.Name)}-{Convert.ToHexStringLower(hash)[..12]}.lock");
    }

    /// <summary>
    /// root: <c>/run/lock/backup</c>; other users: <c>$XDG_RUNTIME_DIR/backup</c>, else <c>/tmp/backup-UID</c>
    /// (which must be a directory of ours, not a link, since anyone can create names in /tmp).
    /// All are on tmpfs on most systems: a lock never outlives a reboot.
    /// </summary>
    public static string DefaultDirectory()
    {
        var uid = FileLockCalls.EffectiveUser;
        if (uid == 0 && Directory.Exists("/run/lock"))
            return Ensure("/run/lock/backup", shared: true);
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime))
            return Ensure(Path.Combine(runtime, "backup"), shared: false);
        return Ensure($"/tmp/backup-{uid}", shared: false);
    }

    private static string Ensure(string directory, bool shared)
    {
        try
        {
            var mode = shared
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                  | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            if (OperatingSystem.IsWindows())
                throw new PlatformNotSupportedException("run locks need Linux (flock)");
            Directory.CreateDirectory(directory, mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"cannot create the lock directory {directory}: {e.Message}; make it writable, or set temp on the source");
        }

        var stat = FileLockCalls.StatNoFollow(directory);
        if (stat is not { IsDirectory: true } || stat.Value.Owner != FileLockCalls.EffectiveUser)
            throw new BackupException(
                $"the lock directory {directory} is not a directory owned by this user (uid {FileLockCalls.EffectiveUser}); remove it and run again");
        return directory;
    }
}
