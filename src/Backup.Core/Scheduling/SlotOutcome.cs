using Backup.Core.Running;

namespace Backup.Core.Scheduling;

/// <summary>
/// How one slot of a source went: <see cref="Ran"/> with the run's report, or skipped (the source was
/// still running in this daemon, or another run held its lock) with a report of status <c>locked</c>.
/// </summary>
public sealed record SlotOutcome(string Source, DateTimeOffset Slot, bool Ran, RunReport Report);
