namespace Backup.Core.Sources.PostgreSql;

/// <summary>The artifact <c>globals: true</c> adds beside a source's databases.</summary>
public static class GlobalsArtifact
{
    /// <summary>Its item name: a source refuses a database of that name, so the two never share one.</summary>
    public const string ItemName = "server-globals";
}
