namespace Backup.Cli.Output;

/// <summary><c>--log-format</c>: how every line on stderr is written.</summary>
internal enum LogFormat
{
    /// <summary>Lines for people; on a terminal, a live status line during a run.</summary>
    Text,

    /// <summary>One JSON object per line (Core's <c>JsonLogLine</c>), for log shippers; no live status line.</summary>
    Json,
}
