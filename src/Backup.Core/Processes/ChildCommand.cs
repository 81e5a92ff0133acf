namespace Backup.Core.Processes;

/// <summary>A program to run: its path or name on PATH, its argument array and extra environment.</summary>
public sealed record ChildCommand(string TargetFilePath, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);
