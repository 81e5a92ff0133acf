namespace Backup.Core.Restore;

/// <summary>A finished directory restore: where it went and which archives were applied, in order.</summary>
public sealed record DirectoryRestoreResult(string Target, IReadOnlyList<string> AppliedKeys, long Entries);
