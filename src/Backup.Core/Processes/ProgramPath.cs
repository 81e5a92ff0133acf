namespace Backup.Core.Processes;

/// <summary>Finds a program the way a shell does: a name with a slash as given, otherwise the first executable of that name on PATH.</summary>
internal static class ProgramPath
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string Resolve(string program, string? pathVariable)
    {
        if (program.Contains('/'))
            return program;

        foreach (var directory in (pathVariable ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
                return candidate;
        }

        throw new BackupException($"cannot start '{program}': it is not on PATH; is it installed?");
    }
}
