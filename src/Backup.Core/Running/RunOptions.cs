namespace Backup.Core.Running;

/// <summary>What <c>backup run</c> was asked to do.</summary>
public sealed record RunOptions
{
    /// <summary>Source names to run; empty means all.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Check and plan everything (config, servers, keys), write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How long to wait for a source's lock held by another run (<c>--wait</c>); zero: not at all.</summary>
    public TimeSpan Wait { get; init; }
}
