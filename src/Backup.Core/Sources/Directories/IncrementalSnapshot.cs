using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Logging;
using Backup.Core.Storage;

namespace Backup.Core.Sources.Directories;

/// <summary>
/// The GNU tar snapshot file (<c>incremental_snapshot</c>) and, beside it, <c>SNAPSHOT.chain.json</c>
/// recording the chain the snapshot belongs to (id, level, key of the last archive, when the chain
/// started). tar works on a copy (<c>SNAPSHOT.PID.partial</c>); the real files advance only through
/// <see cref="Commit"/>, after the artifact and its manifest are stored, so a failed run leaves the
/// next run to redo the increment.
/// </summary>
/// <remarks>
/// Crash safety of <see cref="Commit"/>: the chain record is made durable first, the snapshot second,
/// and the record holds the SHA-256 of the snapshot it goes with. A crash before the record leaves
/// both old: the next run makes this level again (a second archive of the same level and base:
/// redundant, never wrong). A crash between them leaves the record new and the snapshot old, which
/// <see cref="Open"/> sees by the checksum: the next run starts a new chain with a full archive. It
/// could not go on with that pair: tar would record each change against the older snapshot, and a
/// directory renamed since would be a rename from a name that the record's base no longer has, which
/// fails the restore. The opposite order could make an archive claim a base whose changes it then
/// skips, which a restore would silently miss. A record from before the checksum is trusted as it is.
/// <para>
/// <c>full_every</c> starts a new chain the same way: a run that is due makes a level 0 from an empty
/// working copy under a new chain id, and the new chain's record and snapshot replace the old ones only
/// in <see cref="Commit"/>. A run that fails or is killed before it leaves the old chain's state as it
/// was, so the next run is due again and makes the full again.
/// </para>
/// </remarks>
public sealed class IncrementalSnapshot
{
    private readonly string _path;
    private readonly string _workingCopy;

    private IncrementalSnapshot(string path, ChainInfo next, DateTimeOffset started)
    {
        _path = path;
        _workingCopy = PartialFile.For(path);
        Next = next;
        Started = started;
    }

    /// <summary>The chain position of the archive this run makes.</summary>
    public ChainInfo Next { get; }

    /// <summary>
    /// When the chain of <see cref="Next"/> started: the time the run that made its level 0 (or its first
    /// link, for a chain continued from a snapshot without a record) began, on the run's clock.
    /// </summary>
    public DateTimeOffset Started { get; }

    private string StatePath => StatePathFor(_path);

    private static string StatePathFor(string snapshot) => snapshot + ".chain.json";

    /// <summary>
    /// Reads the state and decides what this run makes: the next link of the recorded chain, or a new
    /// chain's level 0 (the first run, or <paramref name="fullEvery"/> due).
    /// </summary>
    /// <param name="time">The clock: now, and the host's zone a <c>full_every</c> of days is counted in.</param>
    public static IncrementalSnapshot Open(string path, FullEvery? fullEvery, TimeProvider time, IEventLog log, string yamlPath)
    {
        path = Path.GetFullPath(path);
        RemoveStaleWorkingCopies(path, log);
        var now = time.GetUtcNow();
        if (!File.Exists(path))
            return NewChain(path, 0, now);

        var state = ReadState(StatePathFor(path));
        if (state is null)
        {
            // A snapshot made by the seed script or by hand: tar continues from it, but the archives
            // before it are not ours, so this starts a chain whose base is unknown.
            log.Warn($"{yamlPath}.incremental_snapshot: '{path}' has no chain record; this run continues "
                     + "from it, but a restore needs the archives made before it. Delete the snapshot to start with a full archive.");
            return NewChain(path, 1, now);
        }

        if (state.Snapshot is { } expected && !expected.Equals(Sha256Of(path), StringComparison.OrdinalIgnoreCase))
        {
            var next = NewChain(path, 0, now);
            log.Warn($"{yamlPath}.incremental_snapshot: '{path}' is not the snapshot its chain record was written with "
                     + $"(a run was stopped between saving the two); starting a new full archive (chain {next.Next.Id})");
            return next;
        }

        var started = state.Started ?? TimeOfId(state.Id);
        if (started is null)
        {
            // A record that says neither when its chain started nor has an id that does (edited by
            // hand): a span counts from this run, rather than forcing a full nobody asked for.
            if (fullEvery?.Interval is not null)
                log.Info($"{yamlPath}: full_every {fullEvery}: chain {state.Id} does not record when it started; counting from this run");
            started = now;
        }

        if (fullEvery is not null && WhyFullIsDue(fullEvery, state, started.Value, now, time.LocalTimeZone) is { } why)
        {
            var next = NewChain(path, 0, now);
            log.Info($"{yamlPath}: full_every {fullEvery}: chain {state.Id} {why}, starting a new full archive (chain {next.Next.Id})");
            return next;
        }

        return new IncrementalSnapshot(path, new ChainInfo(state.Id, state.Level + 1, state.LastKey), started.Value);
    }

    /// <summary>
    /// Why the recorded chain is done, or null while it goes on. It has <c>Level + 1</c> links (levels
    /// 0 to Level): after N links the next run would make level N, which is a new full instead. A span
    /// is counted back from now on the wall clock of <paramref name="zone"/> (a day across a change of
    /// the clocks is 23 or 25 hours): due once the chain started at or before that instant.
    /// </summary>
    private static string? WhyFullIsDue(FullEvery fullEvery, ChainRecord state, DateTimeOffset started, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (fullEvery.Links is { } links)
        {
            var has = state.Level + 1;
            return has >= links ? $"has {has} link{(has == 1 ? "" : "s")}" : null;
        }

        var interval = fullEvery.Interval!;
        return started <= interval.SubtractFrom(now, zone)
            ? $"started {ArtifactStamp.Describe(started)}, {interval} or more ago"
            : null;
    }

    private static IncrementalSnapshot NewChain(string path, int level, DateTimeOffset now) =>
        new(path, new ChainInfo(NewChainId(now), level, null), now);

    /// <summary>
    /// Copies the snapshot for tar to update, or leaves none for a level-0 run (tar then archives
    /// everything and writes a new snapshot there, whatever the old chain's snapshot holds); returns its path.
    /// </summary>
    internal string PrepareWorkingCopy()
    {
        File.Delete(_workingCopy);
        if (Next.Level > 0 && File.Exists(_path))
            File.Copy(_path, _workingCopy);
        return _workingCopy;
    }

    internal void Commit(string storedKey)
    {
        var record = new ChainRecord(Next.Id, Next.Level, storedKey, Started, Sha256Of(_workingCopy));
        DurableFile.Write(StatePath, JsonSerializer.SerializeToUtf8Bytes(record));
        DurableFile.Replace(_workingCopy, _path);
    }

    private static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
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

    private static ChainRecord? ReadState(string statePath)
    {
        if (!File.Exists(statePath))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ChainRecord>(File.ReadAllBytes(statePath));
        }
        catch (JsonException e)
        {
            throw new BackupException($"'{statePath}' is not a valid chain record ({e.Message}); delete it and the snapshot to start a new chain");
        }
    }

    private const string IdTimeFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int IdTimeLength = 16; // 20261120T020000Z

    private static string NewChainId(DateTimeOffset now) =>
        now.UtcDateTime.ToString(IdTimeFormat, CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The time a chain id begins with (every id this tool makes does: when its chain started, to the second).</summary>
    private static DateTimeOffset? TimeOfId(string id) =>
        id.Length >= IdTimeLength
        && DateTimeOffset.TryParseExact(id[..IdTimeLength], IdTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>
    /// <c>SNAPSHOT.chain.json</c>: the chain, its last link, when the chain started and the SHA-256 of
    /// the snapshot written with it. A record of an earlier version has neither of the last two: its
    /// chain's start is read from its id, and its snapshot is taken as the one it goes with.
    /// </summary>
    private sealed record ChainRecord(string Id, int Level, string LastKey, DateTimeOffset? Started = null, string? Snapshot = null);
}
