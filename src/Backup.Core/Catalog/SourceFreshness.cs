using Backup.Core.Composition;
using Backup.Core.Configuration;
using Backup.Core.Destinations;

namespace Backup.Core.Catalog;

/// <summary>
/// The <see cref="Freshness"/> rows of one source in every place it stores (each of its destinations,
/// or its <c>temp</c> folder when it has none), read as <c>backup status</c> reads them: one listing
/// per place and each item's newest manifests. <c>backup daemon</c> judges staleness and a missed slot by it.
/// </summary>
public static class SourceFreshness
{
    public static async Task<IReadOnlyList<Freshness>> ReadAsync(
        BackupConfig config, SourceConfig source, IComponents components, DateTimeOffset now, CancellationToken ct)
    {
        var rows = new List<Freshness>();
        foreach (var (destination, flat) in Places(config, source, components))
        {
            try
            {
                var listing = await new BackupCatalog(destination, flat).ReadLatestAsync(source.Name, null, null, ct);
                rows.AddRange(Freshness.Of(source, destination.Name, listing, now));
            }
            finally
            {
                switch (destination)
                {
                    case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                    case IDisposable disposable: disposable.Dispose(); break;
                }
            }
        }

        return rows;
    }

    private static IEnumerable<(IDestination Destination, bool Flat)> Places(BackupConfig config, SourceConfig source, IComponents components)
    {
        if (source.Destinations.Count > 0)
        {
            foreach (var name in source.Destinations.Distinct(StringComparer.Ordinal))
                yield return (components.Destination(config.Destinations[name]), false);
        }
        else if (source.Temp is { } temp)
        {
            // The temp folder holds the bare files, as `backup status` reads it.
            yield return (components.LocalDirectory($"{source.YamlPath}.temp", temp), true);
        }
    }
}
