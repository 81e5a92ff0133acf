namespace Backup.Core.Configuration;

/// <summary>The config cannot be used; carries every error found, not just the first.</summary>
public sealed class ConfigException(string file, IReadOnlyList<ConfigError> errors)
    : Exception($"{file}: {errors.Count} config error(s):{Environment.NewLine}"
                + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public string File { get; } = file;

    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
