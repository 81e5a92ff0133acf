namespace Backup.Core.Sources.MySql;

/// <summary>Finds a program on PATH, for tools installed under more than one name.</summary>
internal static class ExecutableLookup
{
    /// <summary>The first candidate found on PATH, else the first candidate (whose start then fails clearly).</summary>
    public static string First(params string[] candidates)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            if (directories.Any(d => File.Exists(Path.Combine(d, candidate))))
                return candidate;
        }

        return candidates[0];
    }
}
