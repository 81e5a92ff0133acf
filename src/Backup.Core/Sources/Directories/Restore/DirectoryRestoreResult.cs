namespace Backup.Core.Sources.Directories.Restore;

/// <summary>A finished directory restore: where it went, which archives were applied (in order), and what the user must know.</summary>
public sealed record DirectoryRestoreResult(string Target, IReadOnlyList<string> AppliedKeys, long Entries, IReadOnlyList<string> Warnings);
