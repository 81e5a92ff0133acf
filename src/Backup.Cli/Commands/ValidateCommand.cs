using System.CommandLine;
using Backup.Core.Configuration;

namespace Backup.Cli.Commands;

/// <summary><c>backup validate</c>: parse and check the config, report every error at once, touch nothing.</summary>
internal static class ValidateCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Check the config and the local paths it names";

    public static Command Create(Option<FileInfo?> config)
    {
        var command = new Command("validate", """
            Check the config file: YAML syntax, unknown keys, types, required keys, references between
            sections, and that local paths exist with the right permissions, each source's `path`
            included (`run` would fail that source). Every error is listed with its YAML path and line.
            Each source with a `schedule` is listed with its next run (as `backup daemon` would run it).
            Nothing is contacted or written.

            Example:
              backup validate --config /etc/backup.yaml

            """ + ExitCodes.HelpText);
        command.SetAction((parse, ct) => CommandExecution.RunAsync("validate", token =>
        {
            var loaded = CommandExecution.LoadConfig(parse.GetValue(config), LocalPathChecks.All, token);
            var path = CommonOptions.ResolveConfigPath(parse.GetValue(config));
            Console.Out.WriteLine($"{path}: ok ({loaded.AllSources.Count()} source(s), {loaded.Destinations.Count} destination(s), {loaded.Encryptions.Count} encryption(s))");
            // What `backup daemon` would do with this config: when each scheduled source runs next.
            var now = DateTimeOffset.UtcNow;
            foreach (var source in loaded.AllSources.Where(s => s.Schedule is not null))
                Console.Out.WriteLine($"{source.YamlPath}: schedule {source.Schedule}, next run {source.Schedule!.Format(source.Schedule.Next(now)!.Value)}");
            return Task.FromResult(ExitCodes.Ok);
        }, ct));
        return command;
    }
}
