using System.CommandLine;
using Backup.Cli.Output;

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

    /// <summary>The variable that sets <c>--log-format</c> when the option is not given (for units and containers).</summary>
    public const string LogFormatVariable = "BACKUP_LOG_FORMAT";

    /// <summary><c>--log-format text|json</c>, for every command; default from <see cref="LogFormatVariable"/>, else text.</summary>
    public static Option<LogFormat> LogFormat() => new("--log-format")
    {
        Description = $"How lines on stderr are written: text (default) or json (one JSON object per line, for log shippers; no live status line). Default: ${LogFormatVariable}, else text.",
        HelpName = "text|json",
        Recursive = true,
        DefaultValueFactory = result =>
        {
            var text = Environment.GetEnvironmentVariable(LogFormatVariable);
            if (string.IsNullOrEmpty(text))
                return Output.LogFormat.Text;
            if (ParseLogFormat(text) is { } format)
                return format;
            result.AddError($"{LogFormatVariable}: '{text}' is not a log format; set it to text or json, or unset it");
            return Output.LogFormat.Text;
        },
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (ParseLogFormat(text) is { } format)
                return format;
            result.AddError($"--log-format: '{text}' is not a log format; write text or json");
            return Output.LogFormat.Text;
        },
    };

    private static LogFormat? ParseLogFormat(string text) => text.ToLowerInvariant() switch
    {
        "text" => Output.LogFormat.Text,
        "json" => Output.LogFormat.Json,
        _ => null,
    };

    /// <summary>The seed's rule: no --config means config.yaml beside the program.</summary>
    public static string ResolveConfigPath(FileInfo? option) =>
        option?.FullName ?? Path.Combine(AppContext.BaseDirectory, "config.yaml");
}
