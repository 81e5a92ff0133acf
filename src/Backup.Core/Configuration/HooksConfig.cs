namespace Backup.Core.Configuration;

/// <summary>
/// <c>hooks:</c> of a source (around that source) or of the config's top level (around the whole run):
/// commands run before, after, and on failure, each within <see cref="Timeout"/>.
/// </summary>
public sealed record HooksConfig
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>No hooks at all: what a config without <c>hooks:</c> gets.</summary>
    public static HooksConfig None { get; } = new();

    /// <summary>Run in order before the work; the first that fails (or exits 75) stops the rest and the work.</summary>
    public IReadOnlyList<HookCommand> Before { get; init; } = [];

    /// <summary>Run in order after the work, whatever happened to it (after <see cref="OnFailure"/>).</summary>
    public IReadOnlyList<HookCommand> After { get; init; } = [];

    /// <summary>Run in order after the work when it failed, before <see cref="After"/>.</summary>
    public IReadOnlyList<HookCommand> OnFailure { get; init; } = [];

    /// <summary>How long each command may run; then its whole process group is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public bool IsEmpty => Before.Count == 0 && After.Count == 0 && OnFailure.Count == 0;
}
