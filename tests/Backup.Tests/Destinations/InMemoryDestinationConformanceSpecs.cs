using Backup.Core.Destinations;
using Backup.Tests.Fakes;

namespace Backup.Tests.Destinations;

/// <summary>The fake that fast pipeline specs rely on must keep the same contract as the real destinations.</summary>
public sealed class InMemoryDestinationConformanceSpecs : DestinationConformanceSpecs
{
    protected override IDestination Destination { get; } = new InMemoryDestination();
}
