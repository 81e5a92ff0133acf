namespace Backup.Core.Restore;

/// <summary>What <c>backup restore</c> was asked, whatever the kind: the item argument and each option given.</summary>
/// <param name="Item">The item argument (a database, a directory's name); null when left out.</param>
/// <param name="Given">Each option given, by name: a value option with its value, a flag with null.</param>
public sealed record RestoreRequest(string? Item, IReadOnlyDictionary<string, string?> Given)
{
    public bool Has(RestoreOption option) => Given.ContainsKey(option.Name);

    /// <summary>The value given for <paramref name="option"/>, or null when it was not given.</summary>
    public string? Value(RestoreOption option) => Given.GetValueOrDefault(option.Name);
}
