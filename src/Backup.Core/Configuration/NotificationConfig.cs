namespace Backup.Core.Configuration;

/// <summary><c>notifications.NAME</c>; the <c>method</c> key picks the subtype.</summary>
public abstract record NotificationConfig
{
    /// <summary>What <c>on:</c> defaults to: a report when someone has to look.</summary>
    public static readonly IReadOnlyList<NotificationTrigger> DefaultTriggers = [NotificationTrigger.Warning, NotificationTrigger.Failure];

    public required string Name { get; init; }

    /// <summary>The moments this entry is sent at.</summary>
    public IReadOnlyList<NotificationTrigger> On { get; init; } = DefaultTriggers;

    /// <summary>How long one attempt may take (connecting, sending, the answer).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after the first one, on timeouts, connection errors and server errors (never on a refusal).</summary>
    public int Retries { get; init; } = 3;

    /// <summary><c>webhook</c>, <c>healthchecks</c> or <c>email</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The YAML path, e.g. <c>notifications.slack</c>: what logs name instead of a URL, which may hold a token.</summary>
    public string YamlPath => $"notifications.{Name}";
}
