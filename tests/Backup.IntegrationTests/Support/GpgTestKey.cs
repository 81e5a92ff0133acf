namespace Backup.IntegrationTests.Support;

/// <summary>A key made by <see cref="GpgTestKeyring"/>: its primary fingerprint and user ID.</summary>
public sealed record GpgTestKey(string Fingerprint, string Name, string Email)
{
    public string UserId => $"{Name} <{Email}>";
}
