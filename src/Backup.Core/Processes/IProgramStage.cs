namespace Backup.Core.Processes;

/// <summary>
/// A pipeline stage that is exactly one external program from stdin to stdout (tar, zstd, bzip2, gpg).
/// Saying so lets the pipeline join neighbouring program stages with an OS pipe, as a shell would,
/// instead of copying every byte through this process between them.
/// </summary>
public interface IProgramStage
{
    /// <summary>Gets the program ready to run (e.g. resolves a key, imports it into a temporary keyring).</summary>
    Task<ProgramStep> PrepareAsync(CancellationToken ct);
}
