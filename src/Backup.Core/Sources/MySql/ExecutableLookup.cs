using Backup.Core.Processes;

namespace Backup.Core.Sources.MySql;

/// <summary>Finds a program on PATH, for tools installed under more than one name.</summary>
internal static class ExecutableLookup
{
    /// <summary>The first candidate found on PATH, else the first candidate (whose start then fails clearly).</summary>
    public static string First(params string[] candidates) =>
        candidates.FirstOrDefault(c => ProgramPath.TryResolve(c) is not null) ?? candidates[0];
}
