namespace Backup.Core.Configuration;

/// <summary>One <c>headers:</c> entry of a webhook; the value is a secret (a bearer token, a basic-auth pair).</summary>
public sealed record WebhookHeader(string Name, Secret Value);
