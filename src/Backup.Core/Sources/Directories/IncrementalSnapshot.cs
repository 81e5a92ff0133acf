using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Logging;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// The GNU tar snapshot file (<c>incremental_snapshot</c>) and, beside it, <c>SNAPSHOT.chain.json</c>
/// recording the chain the snapshot belongs to (id, level, key of the last archive). tar works on a
/// copy; the real files advance only through <see cref="Commit"/>, by atomic rename, after the
/// artifact is stored — so a failed run leaves the next run to redo the same increment.
/// </summary>
public sealed class IncrementalSnapshot
{
    private readonly string _path;
    private readonly string _workingCopy;

    private IncrementalSnapshot(string path, ChainInfo next)
    {
        _path = path;
        _workingCopy = $"{path}.{Environment.ProcessId}.partial";
        Next = next;
    }

    /// <summary>The chain position of the archive this run makes.</summary>
    public ChainInfo Next { get; }

    private string StatePath => StatePathFor(_path);

    private static string StatePathFor(string snapshot) => snapshot + ".chain.json";

    public static IncrementalSnapshot Open(string path, IEventLog log, string yamlPath)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            return new IncrementalSnapshot(path, new ChainInfo(NewChainId(), 0, null));

        var state = ReadState(StatePathFor(path));
        if (state is null)
        {
            // A snapshot made by the seed script or by hand: tar continues from it, but the archives
            // before it are not ours, so this starts a chain whose base is unknown.
            log.Warn($"{yamlPath}.incremental_snapshot: '{path}' has no chain record; this run continues "
                     + "from it, but a restore needs the archives made before it. Delete the snapshot to start with a full archive.");
            return new IncrementalSnapshot(path, new ChainInfo(NewChainId(), 1, null));
        }

        return new IncrementalSnapshot(path, new ChainInfo(state.Id, state.Level + 1, state.LastKey));
    }

    /// <summary>Copies the snapshot for tar to update (or leaves none for a level-0 run); returns its path.</summary>
    internal string PrepareWorkingCopy()
    {
        File.Delete(_workingCopy);
        if (File.Exists(_path))
            File.Copy(_path, _workingCopy);
        return _workingCopy;
    }

    internal void Commit(string storedKey)
    {
        var state = new ChainState(Next.Id, Next.Level, storedKey);
        var stateTemp = StatePath + ".partial";
        File.WriteAllBytes(stateTemp, JsonSerializer.SerializeToUtf8Bytes(state));
        File.Move(_workingCopy, _path, overwrite: true);
        File.Move(stateTemp, StatePath, overwrite: true);
    }

    internal void Discard() => File.Delete(_workingCopy);

    private static ChainState? ReadState(string statePath)
    {
        if (!File.Exists(statePath))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ChainState>(File.ReadAllBytes(statePath));
        }
        catch (JsonException e)
        {
            throw new BackupException($"'{statePath}' is not a valid chain record ({e.Message}); delete it and the snapshot to start a new chain");
        }
    }

    private static string NewChainId() => DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'") + "-" + Guid.NewGuid().ToString("N")[..8];

    private sealed record ChainState(string Id, int Level, string LastKey);
}
