using Backup.Core.Configuration;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// <c>sources.sqlite.NAME</c>: one artifact per database file, each an online, consistent copy
/// (<see cref="OnlineCopy"/>) proven by <c>PRAGMA integrity_check</c> before it is shipped. Built by
/// <see cref="SqliteSourceReader"/> (or by specs, in code).
/// </summary>
public sealed record SqliteSourceConfig : SourceConfig
{
    /// <summary>How long a copy waits for a writer's lock when <c>busy_timeout</c> is not set.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(60);

    public override string Kind => SqliteKind.YamlKey;

    /// <summary>
    /// The database files (<c>path</c>, or each of <c>paths</c>), absolute; each is one item, named by
    /// <see cref="SqliteItemName.Of"/>, so no two may share a file name.
    /// </summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Whether the files came as <c>paths</c> (a list) rather than <c>path</c>: how messages name each one's YAML path.</summary>
    public bool ListedAsPaths { get; init; }

    /// <summary>
    /// <c>busy_timeout</c>: how long a copy keeps trying to start while another connection holds a lock
    /// that keeps it out (a rollback-journal writer committing, a hot journal being rolled back).
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = DefaultBusyTimeout;
}
