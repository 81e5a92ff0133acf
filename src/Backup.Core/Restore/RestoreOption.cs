namespace Backup.Core.Restore;

/// <summary>
/// An option of <c>backup restore</c> that a source kind takes (<see cref="Sources.ISourceKind.RestoreOptions"/>).
/// The CLI declares each name once, for every kind that takes it; a kind's own options are declared in its folder.
/// </summary>
/// <param name="Name">As typed: <c>--into</c>.</param>
/// <param name="Description">For <c>--help</c>, lower case: the CLI puts the kinds that take it in front when not every kind does.</param>
/// <param name="ValueName">The value's placeholder in help (<c>DATABASE</c>); null for a flag.</param>
public sealed record RestoreOption(string Name, string Description, string? ValueName = null)
{
    // The shared targets: kinds that restore the same way take the same option, with one meaning.

    public static readonly RestoreOption To = new(
        "--to", "the target directory (created if missing; must be empty unless --force).", "DIR");

    public static readonly RestoreOption Into = new(
        "--into", "the database to restore into (created if missing; must be empty unless --force).", "DATABASE");

    public static readonly RestoreOption ToFile = new(
        "--to-file",
        "write the backup itself (a dump as it was made: a .sql script, a PostgreSQL .dump archive) to this new regular file (0600) instead; - writes it to standard output. "
        + "Its folder must exist; a symbolic link, FIFO or device is refused, even with --force.",
        "FILE");

    public static readonly RestoreOption Force = new(
        "--force", "restore over a non-empty target (a directory's content is replaced).");

    /// <summary>The database kinds' way to skip their check pass (<see cref="DatabaseImportPasses.Check"/>).</summary>
    public static readonly RestoreOption SinglePass = new(
        "--single-pass", "import while reading, without first proving the whole artifact (for dumps too large to read twice).");

    /// <summary>The shared options, in the order help lists them (before the kinds' own).</summary>
    public static IReadOnlyList<RestoreOption> Shared { get; } = [To, Into, ToFile, Force];

    public bool IsFlag => ValueName is null;
}
