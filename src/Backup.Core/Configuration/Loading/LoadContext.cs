namespace Backup.Core.Configuration.Loading;

/// <summary>What every section reader shares while one config file is read.</summary>
internal sealed class LoadContext(
    ErrorList errors,
    Func<string, string?> getEnvironmentVariable,
    string baseDirectory,
    LocalPathChecks checks)
{
    public ErrorList Errors { get; } = errors;

    public Interpolator Interpolator { get; } = new(getEnvironmentVariable);

    public PathChecks Paths { get; } = new(errors, checks);

    /// <summary>Directory that relative <c>*_file</c> paths are resolved against (the config's own).</summary>
    public string BaseDirectory { get; } = baseDirectory;

    /// <summary>Variables whose value went into a secret; they must never reach a child environment.</summary>
    public HashSet<string> SecretVariables { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Every secret value read so far. Error messages are scrubbed of them at the end, so that a
    /// password pasted into the wrong key (say <c>port</c>) is not echoed back either.
    /// </summary>
    public HashSet<string> SecretValues { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The variables each hook command used, by its path and line: checked once the whole file is read
    /// (a variable may feed a secret further down), since a hook must never get a secret.
    /// </summary>
    public List<(string Path, int Line, IReadOnlyCollection<string> Variables)> HookVariables { get; } = [];

    public string ResolveFile(string path) => Path.GetFullPath(path, BaseDirectory);
}
