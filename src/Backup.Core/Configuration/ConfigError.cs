namespace Backup.Core.Configuration;

/// <summary>One problem in the config file, located by YAML path and line.</summary>
public sealed record ConfigError(string YamlPath, int? Line, string Message)
{
    public override string ToString() =>
        Line is { } line ? $"{YamlPath} (line {line}): {Message}" : $"{YamlPath}: {Message}";
}
