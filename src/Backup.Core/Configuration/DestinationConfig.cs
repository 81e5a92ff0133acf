using Backup.Core.Retention;

namespace Backup.Core.Configuration;

/// <summary><c>destinations.NAME</c>; the <c>method</c> key picks the subtype.</summary>
public abstract record DestinationConfig
{
    public required string Name { get; init; }

    /// <summary>
    /// <c>retention</c> under the destination: the default for the sources that store here and have none
    /// of their own (see <see cref="BackupConfig.RetentionFor"/>).
    /// </summary>
    public RetentionPolicy? Retention { get; init; }

    public string YamlPath => $"destinations.{Name}";
}
