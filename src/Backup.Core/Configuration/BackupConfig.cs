using Backup.Core.Retention;

namespace Backup.Core.Configuration;

/// <summary>The whole validated config file.</summary>
public sealed record BackupConfig
{
    public IReadOnlyDictionary<string, DestinationConfig> Destinations { get; init; } = new Dictionary<string, DestinationConfig>();

    public IReadOnlyDictionary<string, EncryptionConfig> Encryptions { get; init; } = new Dictionary<string, EncryptionConfig>();

    /// <summary>Top-level <c>hooks</c>: commands run before the first source and after the last.</summary>
    public HooksConfig Hooks { get; init; } = HooksConfig.None;

    /// <summary><c>notifications</c>, in file order.</summary>
    public IReadOnlyDictionary<string, NotificationConfig> Notifications { get; init; } = new Dictionary<string, NotificationConfig>();

    /// <summary>
    /// <c>metrics_file</c>: the Prometheus textfile each run rewrites (Metrics/MetricsFile); null: none.
    /// Written as given (relative to the working directory, like <c>temp</c>).
    /// </summary>
    public string? MetricsFile { get; init; }

    /// <summary>
    /// Every secret value the config holds (passwords, keys, webhook URLs, from the file, the environment or
    /// a <c>*_file</c>): text that may quote one, such as log lines attached to a notification, is masked of them.
    /// </summary>
    public IReadOnlyList<Secret> Secrets { get; init; } = [];

    /// <summary>
    /// Environment variables that fed a secret through <c>${VAR}</c>: they are removed from every child
    /// process's environment so that a secret never reaches one.
    /// </summary>
    public IReadOnlySet<string> SecretEnvironmentVariables { get; init; } = new HashSet<string>();

    /// <summary>
    /// Every source, in the order a run backs them up: by kind in <see cref="Sources.SourceKinds.All"/> order
    /// (mysqldump first), in file order within a kind. Names are unique across kinds.
    /// </summary>
    public IReadOnlyList<SourceConfig> AllSources { get; init; } = [];

    /// <summary>The notification entries told of <paramref name="source"/>'s runs: its own <c>notify</c> list, else every entry.</summary>
    public IReadOnlyList<NotificationConfig> NotificationsFor(SourceConfig source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Notify is { } names
            ? names.Where(Notifications.ContainsKey).Select(name => Notifications[name]).ToList()
            : Notifications.Values.ToList();
    }

    /// <summary>
    /// The retention for <paramref name="source"/>'s artifacts in <paramref name="destinationName"/>: the
    /// source's own, else that destination's when the source stores there, else null (nothing is pruned).
    /// For the source's <c>temp</c> folder (a source without destination, or the <c>cleanup: false</c>
    /// copies) pass null, or any name that is not one of the source's destinations: only the source's own applies.
    /// </summary>
    public RetentionPolicy? RetentionFor(SourceConfig source, string? destinationName)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Retention is { } own)
            return own;
        return destinationName is not null
               && source.Destinations.Contains(destinationName, StringComparer.Ordinal)
               && Destinations.TryGetValue(destinationName, out var destination)
            ? destination.Retention
            : null;
    }
}
