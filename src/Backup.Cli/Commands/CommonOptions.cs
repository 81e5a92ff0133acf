using System.CommandLine;

namespace Backup.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Config() => new("--config", "-c")
    {
        Description = "Path to the YAML config (default: config.yaml beside the backup program, as the seed script did).",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print a machine-readable JSON report on stdout.",
    };

    public static Option<string[]> Sources() => new("--source", "-s")
    {
        Description = "Only this source (repeatable); default: all.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The seed's rule: no --config means config.yaml beside the program.</summary>
    public static string ResolveConfigPath(FileInfo? option) =>
        option?.FullName ?? Path.Combine(AppContext.BaseDirectory, "config.yaml");
}
