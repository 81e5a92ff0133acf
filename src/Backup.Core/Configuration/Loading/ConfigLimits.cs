namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Bounds on the config document, far above any real config, so a mistaken or hostile file (a
/// binary, a 100,000-level nesting) is a config error instead of gigabytes of memory.
/// </summary>
internal static class ConfigLimits
{
    /// <summary>Bytes of YAML read at most.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Mappings and sequences nested in each other at most (a real config needs 4 or 5).</summary>
    public const int MaxDepth = 32;
}
