using Backup.Core.Retention;

namespace Backup.Core.Configuration;

/// <summary>Keys shared by every source kind, with the seed's meaning.</summary>
public abstract record SourceConfig
{
    /// <summary>The key under <c>sources.KIND</c>, e.g. <c>prod</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the artifact is kept when there is no destination or <c>cleanup: false</c>.</summary>
    public string? Temp { get; init; }

    public CompressionKind Compress { get; init; } = CompressionKind.None;

    /// <summary>Optional level; null means the compressor's default (gzip 6, bzip2 9, zstd 3).</summary>
    public int? CompressLevel { get; init; }

    /// <summary>Name of an entry under <c>encryptions</c>, or null.</summary>
    public string? Encryption { get; init; }

    /// <summary>Names of entries under <c>destinations</c> (the seed allows one; a list is an extension).</summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];

    /// <summary>Seed default true: with a destination, nothing is kept locally.</summary>
    public bool Cleanup { get; init; } = true;

    /// <summary>
    /// This source's own <c>retention</c>, or null. It wins over its destinations' (see
    /// <see cref="BackupConfig.RetentionFor"/>, the one place that resolves which policy applies).
    /// </summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary><c>prune</c>: whether <c>backup run</c> prunes after a successful run when a retention applies (default true).</summary>
    public bool Prune { get; init; } = true;

    /// <summary>
    /// <c>max_age</c>: how old the newest complete artifact of each item may be in each destination before
    /// <c>backup status</c> calls it stale (exit 1); null: status reports ages without judging them.
    /// </summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary><c>hooks</c>: commands run around this source, under its lock.</summary>
    public HooksConfig Hooks { get; init; } = HooksConfig.None;

    /// <summary>
    /// <c>notify</c>: the names of the <c>notifications</c> entries told of this source's runs; null (the
    /// key absent) means every entry, empty (<c>notify: []</c>) none (see <see cref="BackupConfig.NotificationsFor"/>).
    /// </summary>
    public IReadOnlyList<string>? Notify { get; init; }

    /// <summary>
    /// <c>schedule</c> (with <c>timezone</c> and <c>catch_up</c>): when <c>backup daemon</c> runs this source;
    /// null: the daemon does not run it. <c>backup run</c> ignores it.
    /// </summary>
    public Scheduling.Schedule? Schedule { get; init; }

    /// <summary>
    /// The file this source keeps its state in between runs (an incremental snapshot), or null: its
    /// local lock sits beside it (Locking/LocalLockPath).
    /// </summary>
    public virtual string? StateFile => null;

    /// <summary>The YAML path of this source, e.g. <c>sources.mysqldump.prod</c>, for messages.</summary>
    public string YamlPath => $"sources.{Kind}.{Name}";

    /// <summary>The key this source sits under (<c>mysqldump</c>, <c>directories</c>): its kind's <see cref="Sources.ISourceKind.Key"/>.</summary>
    public abstract string Kind { get; }
}
