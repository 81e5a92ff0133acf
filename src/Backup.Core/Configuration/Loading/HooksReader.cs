using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// <c>hooks:</c>, under a source or at the top level: the same keys and checks in both places. A command
/// is an argument list (<c>[systemctl, stop, app]</c>, run as it is) or one string (run by
/// <c>/bin/sh -c</c>); <c>timeout</c> is a duration as <c>--wait</c> takes it.
/// </summary>
internal static class HooksReader
{
    private const string CommandForms =
        "write a list of arguments ([systemctl, stop, app]) or one string that /bin/sh -c runs (\"pg_dumpall > /srv/dump.sql\")";

    public static HooksConfig Read(MappingReader owner)
    {
        if (owner.Mapping("hooks") is not { } map)
            return HooksConfig.None;

        map.AllowOnly(KeySchema.Hooks);
        return new HooksConfig
        {
            Before = Commands(map, "before"),
            After = Commands(map, "after"),
            OnFailure = Commands(map, "on_failure"),
            Timeout = Timeout(map) ?? HooksConfig.DefaultTimeout,
        };
    }

    /// <summary>
    /// A hook that used a variable which also fed a secret would put that secret on a command line or in
    /// a child's environment, where other users of the host can read it: refused, at the command.
    /// </summary>
    public static void RefuseSecrets(LoadContext context)
    {
        foreach (var (path, line, variables) in context.HookVariables)
        {
            foreach (var name in variables.Where(context.SecretVariables.Contains).Distinct())
            {
                context.Errors.Add(path, line,
                    $"uses ${{{name}}}, which feeds a secret of this config; a hook never gets a secret (a command line is readable by every user of the host): let the command read it from its own file");
            }
        }
    }

    private static IReadOnlyList<HookCommand> Commands(MappingReader map, string key)
    {
        var value = map.Find(key);
        if (value is null)
            return [];
        if (value is not YamlSequenceNode sequence)
        {
            map.Errors.Add(map.PathOf(key), YamlNodes.LineOf(value), $"expected a list of commands, found {YamlNodes.Describe(value)}: {CommandForms}");
            return [];
        }

        var commands = new List<HookCommand>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"{map.PathOf(key)}[{i}]";
            if (Command(map, path, sequence.Children[i]) is { } command)
                commands.Add(command);
        }

        return commands;
    }

    private static HookCommand? Command(MappingReader map, string path, YamlNode node)
    {
        var line = YamlNodes.LineOf(node);
        var used = new List<string>();
        HookCommand? command = null;
        switch (node)
        {
            case YamlScalarNode when YamlNodes.IsNull(node):
                map.Errors.Add(path, line, $"a command must not be empty: {CommandForms}");
                break;
            case YamlScalarNode:
                var script = map.Text(node, path, used);
                if (script is not null && string.IsNullOrWhiteSpace(script))
                    map.Errors.Add(path, line, $"a command must not be empty: {CommandForms}");
                else if (script is not null)
                    command = HookCommand.ShellCommand(path, script);
                break;
            case YamlSequenceNode arguments:
                command = ArgumentList(map, path, arguments, used);
                break;
            default:
                map.Errors.Add(path, line, $"expected a command, found {YamlNodes.Describe(node)}: {CommandForms}");
                break;
        }

        map.Context.HookVariables.Add((path, line, used));
        return command;
    }

    private static HookCommand? ArgumentList(MappingReader map, string path, YamlSequenceNode arguments, List<string> used)
    {
        if (arguments.Children.Count == 0)
        {
            map.Errors.Add(path, YamlNodes.LineOf(arguments), $"an argument list needs at least the program: {CommandForms}");
            return null;
        }

        var argv = new List<string>();
        var ok = true;
        for (var i = 0; i < arguments.Children.Count; i++)
        {
            var item = arguments.Children[i];
            var itemPath = $"{path}[{i}]";
            // An empty argument is an argument (`[touch, ""]`); an empty program is not.
            var text = YamlNodes.IsNull(item) && item is YamlScalarNode ? "" : map.Text(item, itemPath, used);
            if (text is null)
            {
                ok = false;
                continue;
            }

            if (i == 0 && text.Length == 0)
            {
                map.Errors.Add(itemPath, YamlNodes.LineOf(item), "the program must not be empty: name it (pg_ctl) or give its path (/usr/local/bin/flush)");
                ok = false;
            }

            argv.Add(text);
        }

        return ok ? new HookCommand(path, argv) : null;
    }

    private static TimeSpan? Timeout(MappingReader map)
    {
        if (map.String("timeout") is not { } text)
            return null;
        switch (DurationText.TryParse(text))
        {
            case null:
                map.Errors.Add(map.PathOf("timeout"), map.LineOf("timeout"), $"'{text}' is not a duration: write 90s, 10m or 1h30m");
                return null;
            case { } span when span <= TimeSpan.Zero:
                map.Errors.Add(map.PathOf("timeout"), map.LineOf("timeout"), $"'{text}' gives a hook no time: write a longer one (e.g. 5m), or remove `timeout` for 5 minutes");
                return null;
            case var span:
                return span;
        }
    }
}
