namespace Backup.Core.Configuration;

/// <summary>The whole validated config file.</summary>
public sealed record BackupConfig
{
    public IReadOnlyDictionary<string, MySqlSourceConfig> MySql { get; init; } = new Dictionary<string, MySqlSourceConfig>();

    public IReadOnlyDictionary<string, DirectorySourceConfig> Directories { get; init; } = new Dictionary<string, DirectorySourceConfig>();

    public IReadOnlyDictionary<string, DestinationConfig> Destinations { get; init; } = new Dictionary<string, DestinationConfig>();

    public IReadOnlyDictionary<string, EncryptionConfig> Encryptions { get; init; } = new Dictionary<string, EncryptionConfig>();

    /// <summary>
    /// Environment variables that fed a secret through <c>${VAR}</c>: they are removed from every child
    /// process's environment so that a secret never reaches one.
    /// </summary>
    public IReadOnlySet<string> SecretEnvironmentVariables { get; init; } = new HashSet<string>();

    /// <summary>Every source, mysqldump first, in file order within each kind.</summary>
    public IEnumerable<SourceConfig> AllSources => MySql.Values.Cast<SourceConfig>().Concat(Directories.Values);
}
