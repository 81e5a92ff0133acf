namespace Backup.Core.Catalog;

/// <summary>Something in a destination that looks like a backup but cannot be used as one.</summary>
public sealed record CatalogProblem(string Destination, string Key, string Message)
{
    public override string ToString() => $"{Destination}: {Key}: {Message}";
}
