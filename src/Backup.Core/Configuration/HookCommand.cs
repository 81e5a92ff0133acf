namespace Backup.Core.Configuration;

/// <summary>
/// One hook command: its argument array, program first. A command written as one string in the config
/// is <c>["/bin/sh", "-c", STRING]</c>.
/// </summary>
/// <param name="Name">Its YAML path (<c>sources.directories.home.hooks.before[0]</c>): names it in the log and in messages.</param>
public sealed record HookCommand(string Name, IReadOnlyList<string> Arguments)
{
    public const string Shell = "/bin/sh";

    public static HookCommand ShellCommand(string name, string script) => new(name, [Shell, "-c", script]);
}
