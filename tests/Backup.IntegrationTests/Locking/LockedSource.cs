using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Locking;

/// <summary>
/// One incremental directory source as several "hosts" would run it: each host has its own config
/// file and snapshot folder (its local state) and its own BACKUP_HOSTNAME, and all write to the same
/// destination, given as YAML.
/// </summary>
public sealed class LockedSource
{
    private readonly TempDir _dir;
    private readonly string _destinationYaml;

    public LockedSource(TempDir dir, string destinationYaml)
    {
        _dir = dir;
        _destinationYaml = destinationYaml;
        dir.Write("data/a.txt", "a");
        Tar = new TarStandIn(dir);
    }

    public TarStandIn Tar { get; }

    public string Snapshot(string host) => _dir.Combine($"state-{host}", "home.snar");

    /// <summary>The config of <paramref name="host"/> (written on first use).</summary>
    public string Config(string host)
    {
        var path = _dir.Combine($"{host}.yaml");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Snapshot(host))!);
            _dir.Write($"{host}.yaml", $"""
                sources:
                  directories:
                    home:
                      path: {_dir.Combine("data")}
                      incremental: true
                      incremental_snapshot: {Snapshot(host)}
                      destination: store
                destinations:
                  store:
                {_destinationYaml}
                """);
        }

        return path;
    }

    /// <summary>
    /// The runs' lease: short, so that a killed holder's expiry is waited for in seconds, yet long enough
    /// that a holder renewing every third of it on a loaded 2-core machine is never seen unchanged for a whole one.
    /// </summary>
    public const string Lease = "10s";

    public Dictionary<string, string?> Environment(string host, string lease = Lease) => new()
    {
        ["PATH"] = Tar.Path,
        ["BACKUP_HOSTNAME"] = host,
        ["BACKUP_LOCK_LEASE"] = lease,
    };

    public RunningBackup Start(string host, params string[] extra) =>
        new(["run", "--config", Config(host), .. extra], Environment(host));

    public Task<BackupCli.Result> RunAsync(string host, params string[] extra) =>
        BackupCli.RunAsync(["run", "--config", Config(host), .. extra], environment: Environment(host));
}
