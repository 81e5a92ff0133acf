using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;

namespace Backup.Core.Restore;

/// <summary>What a restore reads from, chosen by generic code before <see cref="IRestoreAction.RunAsync"/>.</summary>
/// <param name="Destination">Where the artifact is stored.</param>
/// <param name="Listing">What was read of the source's series there: the artifact and, for an incremental, its chain.</param>
/// <param name="Artifact">The artifact of <see cref="IRestoreAction.Item"/> at the time asked for.</param>
/// <param name="StandardOutput">Opens standard output, for a restore written there (<c>--to-file -</c>); the core has no console.</param>
public sealed record RestoreContext(
    IDestination Destination, ArtifactCodecs Codecs, IEventLog Log, CatalogListing Listing, CatalogEntry Artifact, Func<Stream> StandardOutput);
