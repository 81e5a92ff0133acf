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

    public static StoreAccess Open(FileInfo? configFile, IEventLog log, CancellationToken ct)
    {
        var config = ConfigLoader.Load(CommonOptions.ResolveConfigPath(configFile), LocalPathChecks.None, ct);
        Core.Processes.ChildProcess.RemoveFromChildEnvironment(config.SecretEnvironmentVariables);
        return new StoreAccess(config, log);
    }

    public SourceConfig Source(string name) =>
        Config.AllSources.FirstOrDefault(s => s.Name == name)
        ?? throw new UsageException($"unknown source '{name}'; configured: {string.Join(", ", Config.AllSources.Select(s => s.Name))}");

    /// <summary>
    /// What to read: the destination named, else every destination (or for a source without one, its
    /// <c>temp</c>), each with the configured sources (<paramref name="source"/> alone when given)
    /// whose artifacts count there. Artifacts of sources the config does not name are never read.
    /// </summary>
    public IReadOnlyList<CatalogScope> Scopes(string? source, string? destination)
    {
        var sources = source is null ? Config.AllSources.ToList() : [Source(source)];
        if (destination is not null)
        {
            if (!Config.Destinations.TryGetValue(destination, out var named))
                throw new UsageException($"unknown destination '{destination}'; configured: {string.Join(", ", Config.Destinations.Keys)}");
            var users = sources.Where(s => s.Destinations.Contains(destination)).Select(s => s.Name).ToList();
            if (source is not null && users.Count == 0)
                throw new UsageException($"source '{source}' does not store in destination '{destination}'; its destinations: {string.Join(", ", sources[0].Destinations)}");
            return [new CatalogScope(Open(Components.Destination(named)), users, Flat: false)];
        }

        var scopes = new List<CatalogScope>();
        // One source's destinations in its own order: restore reads the first.
        foreach (var name in source is null ? Config.Destinations.Keys : sources[0].Destinations)
        {
            var users = sources.Where(s => s.Destinations.Contains(name)).Select(s => s.Name).ToList();
            if (users.Count > 0)
                scopes.Add(new CatalogScope(Open(Components.Destination(Config.Destinations[name])), users, Flat: false));
        }

        // A source without a destination stores in its temp folder: listed and verified like any other.
        foreach (var s in sources.Where(s => s.Destinations.Count == 0))
        {
            if (s.Temp is { } temp)
                scopes.Add(new CatalogScope(Open(Components.LocalDirectory($"{s.YamlPath}.temp", temp)), [s.Name], Flat: true));
            else if (source is not null)
                throw new BackupException($"{s.YamlPath} has neither a destination nor a temp directory to read from");
        }

        return scopes;
    }

    /// <summary>The catalog of a scope: each of its sources' own part of the layout, read separately.</summary>
    public static async Task<CatalogListing> ReadAsync(CatalogScope scope, CancellationToken ct)
    {
        var catalog = new BackupCatalog(scope.Destination, scope.Flat);
        var entries = new List<CatalogEntry>();
        var problems = new List<CatalogProblem>();
        foreach (var source in scope.Sources)
        {
            var listing = await catalog.ReadAsync(source, null, ct);
            entries.AddRange(listing.Entries);
            problems.AddRange(listing.Problems);
        }

        return new CatalogListing(entries, problems);
    }

    /// <summary>
    /// Only what selecting the artifact at <paramref name="at"/> of each item (or of <paramref name="item"/>)
    /// needs, per source of the scope: one listing and the manifests of the chosen artifacts and their chains.
    /// </summary>
    public static async Task<CatalogListing> ReadLatestAsync(CatalogScope scope, string? item, DateTimeOffset? at, CancellationToken ct)
    {
        var catalog = new BackupCatalog(scope.Destination, scope.Flat);
        var entries = new List<CatalogEntry>();
        var problems = new List<CatalogProblem>();
        foreach (var source in scope.Sources)
        {
            var listing = await catalog.ReadLatestAsync(source, item, at, ct);
            entries.AddRange(listing.Entries);
            problems.AddRange(listing.Problems);
        }

        return new CatalogListing(entries, problems);
    }

    public static ArtifactCodecs Codecs(string? gnupgHome) =>
        new(Compressors.ForName, name => Encryptors.ForDecryption(name, gnupgHome));

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
