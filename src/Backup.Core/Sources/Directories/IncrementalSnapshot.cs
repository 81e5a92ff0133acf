using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Storage;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// The GNU tar snapshot file (<c>incremental_snapshot</c>) and, beside it, <c>SNAPSHOT.chain.json</c>
/// recording the chain the snapshot belongs to (id, level, key of the last archive). tar works on a
/// copy (<c>SNAPSHOT.PID.partial</c>); the real files advance only through <see cref="Commit"/>, after
/// the artifact and its manifest are stored, so a failed run leaves the next run to redo the increment.
/// </summary>
/// <remarks>
/// Crash safety of <see cref="Commit"/>: the chain record is made durable first, the snapshot second.
/// A crash before the record leaves both old: the next run makes this level again (a second archive
/// of the same level and base: redundant, never wrong). A crash between them leaves the record new and
/// the snapshot old: the next run's archive claims this run's archive as its base but holds every
/// change since the run before — more than needed, never less. The opposite order could make an
/// archive claim a base whose changes it then skips, which a restore would silently miss.
/// </remarks>
public sealed class IncrementalSnapshot
{
    private readonly string _path;
    private readonly string _workingCopy;

    private IncrementalSnapshot(string path, ChainInfo next)
    {
        _path = path;
        _workingCopy = PartialFile.For(path);
        Next = next;
    }

    /// <summary>The chain position of the archive this run makes.</summary>
    public ChainInfo Next { get; }

    private string StatePath => StatePathFor(_path);

    private static string StatePathFor(string snapshot) => snapshot + ".chain.json";

    public static IncrementalSnapshot Open(string path, IEventLog log, string yamlPath)
    {
        path = Path.GetFullPath(path);
        RemoveStaleWorkingCopies(path, log);
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
        DurableFile.Write(StatePath, JsonSerializer.SerializeToUtf8Bytes(new ChainState(Next.Id, Next.Level, storedKey)));
        DurableFile.Replace(_workingCopy, _path);
    }

    internal void Discard() => File.Delete(_workingCopy);

    /// <summary>
    /// Working copies left by runs that were killed (SIGKILL, power loss): a copy whose process is gone
    /// is removed; one of a live process (a run of this source elsewhere on this host) is left alone.
    /// </summary>
    private static void RemoveStaleWorkingCopies(string snapshot, IEventLog log)
    {
        var directory = Path.GetDirectoryName(snapshot)!;
        if (!Directory.Exists(directory))
            return;
        foreach (var file in Directory.EnumerateFiles(directory, Path.GetFileName(snapshot) + ".*" + PartialFile.Suffix))
        {
            if (!PartialFile.IsLeftover(Path.GetFileName(file)))
                continue;
            File.Delete(file);
            log.Info($"removed '{file}', left by an earlier run that did not finish");
        }
    }

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
