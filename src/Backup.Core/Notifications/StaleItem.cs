namespace Backup.Core.Notifications;

/// <summary>
/// One item in a <c>stale</c> event (schema 1): the newest complete artifact of <see cref="Item"/> of
/// <see cref="Source"/> in <see cref="Destination"/> is older than the source's <c>max_age</c>, or there
/// is none (<see cref="Newest"/> null; <see cref="Item"/> null when the source has nothing there at all).
/// </summary>
public sealed record StaleItem
{
    public required string Source { get; init; }

    public string? Item { get; init; }

    public required string Destination { get; init; }

    /// <summary>When the newest complete artifact was made; null when there is none.</summary>
    public DateTimeOffset? Newest { get; init; }

    /// <summary>
    /// How long there has been no newer successful backup: the newest artifact's age, or, when there is
    /// none, how long the daemon has watched the source without seeing one.
    /// </summary>
    public required double AgeSeconds { get; init; }

    public required double MaxAgeSeconds { get; init; }
}
