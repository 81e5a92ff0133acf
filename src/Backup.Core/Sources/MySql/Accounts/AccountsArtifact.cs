namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>The artifact <c>users: true</c> adds beside a source's databases.</summary>
public static class AccountsArtifact
{
    /// <summary>Its item name: a source refuses a database of that name, so the two never share one.</summary>
    public const string ItemName = "server-accounts";
}
