namespace Backup.Core.Configuration;

/// <summary><c>method: healthchecks</c>: the healthchecks.io ping protocol, against any server that speaks it.</summary>
public sealed record HealthchecksNotificationConfig : NotificationConfig
{
    /// <summary>
    /// A check that is pinged only on failures is reported down after its period although every run
    /// succeeded: this method is sent on every moment unless <c>on:</c> says otherwise.
    /// </summary>
    public static readonly IReadOnlyList<NotificationTrigger> AllTriggers = Enum.GetValues<NotificationTrigger>();

    public override string Method => "healthchecks";

    /// <summary>The check's ping URL (<c>https://hc-ping.com/UUID</c>, or with a ping key and slug): a secret.</summary>
    public required Secret Url { get; init; }
}
