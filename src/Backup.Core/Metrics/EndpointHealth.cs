namespace Backup.Core.Metrics;

/// <summary>What <c>/healthz</c> answers: 200 "ok" while healthy, else 503 with the reason.</summary>
public sealed record EndpointHealth(bool Healthy, string Reason)
{
    public static EndpointHealth Ok { get; } = new(true, "ok");

    public static EndpointHealth Unhealthy(string reason) => new(false, reason);
}
