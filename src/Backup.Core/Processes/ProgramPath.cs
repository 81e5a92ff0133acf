namespace Backup.Core.Processes;

/// <summary>Finds a program the way a shell does: a name with a slash as given, otherwise the first executable of that name on PATH.</summary>
internal static class ProgramPath
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string Resolve(string program, string? pathVariable) =>
        TryResolve(program, pathVariable) ?? throw new BackupException($"cannot start '{program}': it is not on PATH; is it installed?");

    /// <summary>The program's path, or null when it is not installed; PATH defaults to this process's.</summary>
    public static string? TryResolve(string program, string? pathVariable = null)
    {
        if (program.Contains('/'))
            return program;

        pathVariable ??= Environment.GetEnvironmentVariable("PATH");
        foreach (var directory in (pathVariable ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
                return candidate;
        }

        return null;
    }
}
