using Backup.Core.Catalog;

namespace Backup.Core.Restore;

/// <summary>A kind's part of a <see cref="DatabaseImport"/>: what each pass reads the decoded artifact into.</summary>
/// <param name="Import">The import pass: hands the dump to the server's client (through the kind's guards), to its end.</param>
public sealed record DatabaseImportPasses(Func<Stream, CancellationToken, Task> Import)
{
    /// <summary>
    /// The check pass, run before the target is created or touched (the kind's completeness check, and
    /// whatever else it proves of a dump without applying it); null: import while reading, in one pass.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? Check { get; init; }

    /// <summary>Said after "checking KEY from DESTINATION before applying it" (mysqldump: how to skip it).</summary>
    public string CheckNote { get; init; } = "";

    /// <summary>
    /// Asked after a failed import: was it all or nothing (psql in one transaction, killed before its input
    /// ends when reading fails), so that a database that existed is left as it was? That holds for a stored
    /// object that differs from its manifest too: the download ends the client's input with a failure,
    /// never a clean end (<see cref="StoredObjectMismatchException"/>). Null: it was not.
    /// </summary>
    public Func<bool>? Atomic { get; init; }

    /// <summary>What is wrong with a pass, in the kind's words; null: <see cref="ArtifactReadResult.Problems"/>.</summary>
    public Func<ArtifactReadResult, IReadOnlyList<string>>? Problems { get; init; }

    internal IReadOnlyList<string> ProblemsOf(ArtifactReadResult result, CatalogEntry artifact) =>
        Problems?.Invoke(result) ?? result.Problems(artifact.Manifest);
}
