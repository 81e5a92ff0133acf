namespace Backup.Core.Sources.Directories;

/// <summary>The GNU tar options that decide what an archive keeps, shared by backup and restore.</summary>
public static class TarOptions
{
    /// <summary>
    /// Every extended attribute (user.*, trusted.*, security.* — SELinux labels and capabilities are
    /// xattrs too) and POSIX ACLs, on create and on extract. On extract an unprivileged user cannot set
    /// trusted.* or security.*: tar warns and goes on, and the rest of the tree is restored.
    /// With these GNU tar writes POSIX (pax) headers whatever <c>--format</c> says, incremental
    /// directory records included (<c>GNU.dumpdir</c>); the restore's guard reads both forms.
    /// </summary>
    public static readonly IReadOnlyList<string> Metadata = ["--xattrs", "--xattrs-include=*", "--acls"];

    /// <summary>Holes of sparse files are stored as holes (and come back as holes), not as zeros.</summary>
    public const string Sparse = "--sparse";
}
