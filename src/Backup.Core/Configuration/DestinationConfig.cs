namespace Backup.Core.Configuration;

/// <summary><c>destinations.NAME</c>; the <c>method</c> key picks the subtype.</summary>
public abstract record DestinationConfig
{
    public required string Name { get; init; }

    public string YamlPath => $"destinations.{Name}";
}
