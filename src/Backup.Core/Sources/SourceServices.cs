using Backup.Core.Logging;

namespace Backup.Core.Sources;

/// <summary>What a source may use besides its config (<see cref="ISourceKind.Create"/>).</summary>
/// <param name="Time">The clock it judges time by (a directory source's <c>full_every</c>): the system's unless a spec sets one.</param>
public sealed record SourceServices(IEventLog Log, TimeProvider Time);
