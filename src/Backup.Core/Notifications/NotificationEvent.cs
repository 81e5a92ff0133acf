using System.Text.Json;
using System.Text.Json.Serialization;
using Backup.Core.Running;

namespace Backup.Core.Notifications;

/// <summary>
/// What one notification entry is told about one run: its start, or its end with every artifact of
/// the sources that entry reports on. As JSON (<see cref="ToJson"/>) it is the webhook body, versioned by
/// <see cref="Schema"/> and documented in docs/notifications.md: a new field keeps the version, a
/// renamed, removed or retyped one gets the next.
/// </summary>
public sealed record NotificationEvent
{
    public const int CurrentSchema = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int Schema { get; init; } = CurrentSchema;

    public required NotificationMoment Event { get; init; }

    public required NotificationStatus Status { get; init; }

    /// <summary>A UUID, the same in a run's start and end events (and healthchecks' <c>rid</c>).</summary>
    public required string RunId { get; init; }

    public required string Host { get; init; }

    /// <summary>The config file's full path.</summary>
    public required string Config { get; init; }

    /// <summary>The entry's name under <c>notifications</c>.</summary>
    public required string Notification { get; init; }

    /// <summary>The sources of this run that report to this entry, in run order.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    public required DateTimeOffset Started { get; init; }

    /// <summary>Null in a start event.</summary>
    public DateTimeOffset? Finished { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>What <c>backup run</c> of only these sources exits with (0, 1, 75 or 130); null in a start event; 1 in a stale one (as <c>backup status</c>).</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<ArtifactEvent> Artifacts { get; init; } = [];

    /// <summary>A <c>stale</c> event's items: each item (of the entry's sources) whose newest backup is older than its <c>max_age</c>.</summary>
    public IReadOnlyList<StaleItem> Stale { get; init; } = [];

    /// <summary>The run's own warnings (a notification that could not be sent), beside the artifacts' own.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public required string ToolVersion { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>The one artifact as the event shows it; its texts masked of the config's secrets.</summary>
    public static ArtifactEvent From(ArtifactReport report, Func<string, string> redact) => new()
    {
        Source = report.Source,
        Item = report.Item,
        Status = report.Status,
        Key = report.Key,
        StoredIn = report.StoredIn,
        RawSize = report.RawSize,
        StoredSize = report.StoredSize,
        Sha256 = report.Sha256,
        DurationSeconds = Math.Round(report.Seconds, 3),
        Error = report.Error is null ? null : redact(report.Error),
        Warnings = report.Warnings.Select(redact).ToList(),
    };
}
