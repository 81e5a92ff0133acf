using Backup.Core.Logging;

namespace Backup.Cli.Output;

/// <summary>
/// The one writer of standard error: every log line, message, warning and summary of every command
/// goes through here, so that with <c>--log-format json</c> each line is one JSON object and no plain
/// line slips in between, and so that a line never tears the live status line of a run.
/// </summary>
/// <remarks>
/// Process-wide on purpose: stderr is one stream per process, and the format is chosen once, by
/// Program before any command runs. In text mode each line is written as it always was
/// (<paramref name="text"/> of <see cref="Write"/>); in json mode the message and fields make the object.
/// </remarks>
internal static class Stderr
{
    private static readonly Lock Gate = new();
    private static int _statusLength;

    public static LogFormat Format { get; set; } = LogFormat.Text;

    /// <summary>The command running (<c>run</c>, <c>prune</c>, ...): a field of every JSON line.</summary>
    public static string? Command { get; set; }

    public static bool IsJson => Format == LogFormat.Json;

    public static void Info(string message, params KeyValuePair<string, object?>[] fields) => Line("info", message, fields);

    public static void Warn(string message, params KeyValuePair<string, object?>[] fields) => Line("warn", message, fields);

    public static void Error(string message, params KeyValuePair<string, object?>[] fields) => Line("error", message, fields);

    /// <summary>A line that is its message in both formats, at a level chosen by the caller (<c>info</c>, <c>warn</c>, <c>error</c>).</summary>
    public static void Line(string level, string message, params KeyValuePair<string, object?>[] fields) => Write(level, message, message, fields);

    /// <summary>A field for <see cref="Write"/>; a null value is left out.</summary>
    public static KeyValuePair<string, object?> Field(string name, object? value) => new(name, value);

    /// <summary>
    /// One line: <paramref name="text"/> as it stands in text mode; in json mode an object of
    /// <paramref name="level"/>, <paramref name="message"/>, the command and <paramref name="fields"/>.
    /// </summary>
    public static void Write(string level, string text, string message, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        var line = IsJson
            ? JsonLogLine.Format(DateTimeOffset.UtcNow, level, message, [Field("command", Command), .. fields])
            : text;
        lock (Gate)
        {
            ClearStatusLocked();
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>Draws the live status line (text mode only: in json mode there is none).</summary>
    public static void Status(string status)
    {
        if (IsJson)
            return;
        lock (Gate)
        {
            ClearStatusLocked();
            Console.Error.Write(status);
            _statusLength = status.Length;
        }
    }

    /// <summary>Removes the live status line, if one is drawn.</summary>
    public static void ClearStatus()
    {
        lock (Gate)
            ClearStatusLocked();
    }

    private static void ClearStatusLocked()
    {
        if (_statusLength == 0)
            return;
        Console.Error.Write("\r" + new string(' ', _statusLength) + "\r");
        _statusLength = 0;
    }
}
