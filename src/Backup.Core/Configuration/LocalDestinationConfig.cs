namespace Backup.Core.Configuration;

/// <summary><c>method: local</c>: artifacts are files under <see cref="Path"/>.</summary>
public sealed record LocalDestinationConfig : DestinationConfig
{
    public required string Path { get; init; }
}
