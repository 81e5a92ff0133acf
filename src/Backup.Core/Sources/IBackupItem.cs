using Backup.Core.Catalog;

namespace Backup.Core.Sources;

/// <summary>One artifact to produce: a database dump, a directory archive.</summary>
public interface IBackupItem
{
    /// <summary>The item's name in the object layout (database name, directory base name).</summary>
    string Name { get; }

    /// <summary>The producing stage, named in failures: <c>tar</c>, <c>mysqldump</c>.</summary>
    string Producer { get; }

    /// <summary>Extension of the raw stream: <c>.sql</c>, <c>.tar</c>.</summary>
    string Extension { get; }

    /// <summary>Full or incremental, with its chain; decided before <see cref="WriteAsync"/>.</summary>
    ChainInfo? Chain { get; }

    /// <summary>For a tar archive, the top directory every entry is under (<c>.</c> for <c>/</c>); recorded in the manifest.</summary>
    string? ArchiveTop => null;

    /// <summary>
    /// The completeness check the artifact passed while it was written, in its kind's words (which of a
    /// dump's checks, say), read once <see cref="WriteAsync"/> succeeded and recorded in the manifest
    /// (<c>completeness</c>), where the kind's <see cref="ISourceKind.CompletenessCheck"/> reads which
    /// check verify makes again. Null: none recorded (a kind whose content alone says which).
    /// </summary>
    string? Completeness => null;

    /// <summary>Non-fatal problems seen while writing (e.g. tar's "file changed as we read it").</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// The read-only checks a run makes of this item before its first byte is written (for a database:
    /// that the server lets this login select it), and the decisions and warnings that follow from
    /// them. A dry run makes the same checks, so it fails where the run would, with the same message.
    /// Throws <see cref="BackupException"/> naming the item and the cause. <see cref="WriteAsync"/>
    /// makes them itself when they were not made.
    /// </summary>
    Task CheckAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Streams the raw artifact into <paramref name="output"/>. Throws if the producer failed, after the
    /// last byte, so the pipeline never completes an artifact whose producer did not succeed.
    /// </summary>
    Task WriteAsync(Stream output, CancellationToken ct);

    /// <summary>Called once the artifact and its manifest are stored everywhere (e.g. advance a snapshot).</summary>
    Task CommitAsync(string storedKey, CancellationToken ct);

    /// <summary>Called when the artifact failed: drop any pending state. Must not throw.</summary>
    Task AbortAsync();
}
