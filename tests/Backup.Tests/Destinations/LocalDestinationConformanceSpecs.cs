using Backup.Core.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Destinations;

public sealed class LocalDestinationConformanceSpecs : DestinationConformanceSpecs, IDisposable
{
    private readonly TempDir _dir = new("local-destination");

    public LocalDestinationConformanceSpecs() => Destination = new LocalDestination("local", _dir.Combine("store"));

    protected override IDestination Destination { get; }

    public void Dispose() => _dir.Dispose();
}
