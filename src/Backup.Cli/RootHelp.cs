using System.CommandLine;
using System.CommandLine.Help;

namespace Backup.Cli;

/// <summary>
/// <c>backup --help</c> lists each command on one line, as git does; <c>backup CMD --help</c> keeps the
/// command's full description and examples.
/// </summary>
/// <remarks>
/// System.CommandLine lists a subcommand with its whole <see cref="Symbol.Description"/> and has no
/// public way to show something shorter there. So when the root's help is what this process is about
/// to do (and all it does before it exits), each command's summary first takes its description's place.
/// </remarks>
internal static class RootHelp
{
    public static void ListOnOneLine(ParseResult parsed, IEnumerable<(Command Command, string Summary)> commands)
    {
        if (parsed.Action is not HelpAction || parsed.CommandResult.Command is not RootCommand)
            return;
        foreach (var (command, summary) in commands)
            command.Description = summary;
    }
}
