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

    /// <summary><c>--wait DURATION</c>: how long a run waits for a source's lock held by another run.</summary>
    public static Option<TimeSpan> Wait() => Duration("--wait", TimeSpan.Zero,
        "Wait up to DURATION (e.g. 90s, 10m, 1h) for a source whose lock another run holds; default: do not wait (exit 75).");

    /// <summary>An option taking a duration as <see cref="Backup.Core.DurationText"/> reads it (<c>90s</c>, <c>10m</c>, <c>1h30m</c>).</summary>
    public static Option<TimeSpan> Duration(string name, TimeSpan fallback, string description) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Backup.Core.DurationText.TryParse(text) is { } value)
                return value;
            result.AddError($"{name}: '{text}' is not a duration; write it like 90s, 10m or 1h30m");
            return fallback;
        },
    };

    /// <summary>The seed's rule: no --config means config.yaml beside the program.</summary>
    public static string ResolveConfigPath(FileInfo? option) =>
        option?.FullName ?? Path.Combine(AppContext.BaseDirectory, "config.yaml");
}
