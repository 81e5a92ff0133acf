using System.Globalization;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Composition;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Restore;

namespace Backup.Cli.Commands;

/// <summary>
/// What list, verify and restore share: the config read without checking local paths (a fresh host
/// restoring what another shipped has none of them), the destinations to read, and the codecs.
/// </summary>
internal sealed class StoreAccess : IAsyncDisposable
{
    private readonly List<IDestination> _opened = [];

    private StoreAccess(BackupConfig config, IEventLog log)
    {
        Config = config;
        Components = new Components(log);
    }

    public BackupConfig Config { get; }

    private Components Components { get; }

    public static StoreAccess Open(FileInfo? configFile, IEventLog log)
    {
        var config = ConfigLoader.Load(CommonOptions.ResolveConfigPath(configFile), LocalPathChecks.None);
        Core.Processes.ChildProcess.RemoveFromChildEnvironment(config.SecretEnvironmentVariables);
        return new StoreAccess(config, log);
    }

    public SourceConfig Source(string name) =>
        Config.AllSources.FirstOrDefault(s => s.Name == name)
        ?? throw new BackupException($"unknown source '{name}'; configured: {string.Join(", ", Config.AllSources.Select(s => s.Name))}");

    /// <summary>
    /// The destinations to read: the one named, else the source's (its <c>temp</c> when it has none),
    /// else every configured destination.
    /// </summary>
    public IReadOnlyList<IDestination> Destinations(string? source, string? destination)
    {
        if (destination is not null)
        {
            if (!Config.Destinations.TryGetValue(destination, out var named))
                throw new BackupException($"unknown destination '{destination}'; configured: {string.Join(", ", Config.Destinations.Keys)}");
            return [Open(Components.Destination(named))];
        }

        if (source is not null)
        {
            var config = Source(source);
            if (config.Destinations.Count > 0)
                return config.Destinations.Select(d => Open(Components.Destination(Config.Destinations[d]))).ToList();
            return config.Temp is { } temp
                ? [Open(Components.LocalDirectory($"{config.YamlPath}.temp", temp))]
                : throw new BackupException($"{config.YamlPath} has neither a destination nor a temp directory to read from");
        }

        return Config.Destinations.Values.Select(d => Open(Components.Destination(d))).ToList();
    }

    /// <summary>Reads the catalog; local temp copies are stored flat, so they are listed whole and filtered.</summary>
    public static async Task<CatalogListing> ReadAsync(IDestination destination, string? source, CancellationToken ct)
    {
        var listing = await new BackupCatalog(destination).ReadAsync(source, null, ct);
        if (listing.Entries.Count > 0 || source is null)
            return listing;
        var whole = await new BackupCatalog(destination).ReadAsync(null, null, ct);
        return new CatalogListing(whole.Entries.Where(e => e.Source == source).ToList(), whole.Problems);
    }

    public static ArtifactCodecs Codecs(string? gnupgHome) =>
        new(Compressors.ForName, name => Encryptors.ForDecryption(name, gnupgHome));

    /// <summary>"latest" (null) or a time: ISO 8601 (UTC unless it says otherwise) or a key's stamp (20261126T101500Z).</summary>
    public static DateTimeOffset? ParseAt(string? at) => ArtifactStamp.ParseAt(at);

    private IDestination Open(IDestination destination)
    {
        _opened.Add(destination);
        return destination;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var destination in _opened.OfType<IDisposable>())
            destination.Dispose();
        return ValueTask.CompletedTask;
    }
}
