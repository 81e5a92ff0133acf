using Backup.Core.Destinations;

namespace Backup.Cli.Commands;

/// <summary>One destination to read, the configured sources whose artifacts count there, and whether it is a flat temp folder.</summary>
internal sealed record CatalogScope(IDestination Destination, IReadOnlyList<string> Sources, bool Flat);
