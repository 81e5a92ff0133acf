using Backup.Core.Destinations;

namespace Backup.Core.Pipeline;

/// <summary>One place the finished stream goes: a destination and the key it is stored under there.</summary>
public sealed record ArtifactSink(IDestination Destination, string Key);
