using System.CommandLine;
using Backup.Cli;
using Backup.Cli.Commands;

var config = CommonOptions.Config();
var wait = CommonOptions.Wait();
var root = new RootCommand($"""
    backup: streams databases and directories, compressed and encrypted, to S3 or local storage,
    from one YAML config. Without a command it runs every source, like the original script:
      backup --config /etc/backup.yaml

    {ExitCodes.HelpText}
    """)
{
    config,
    wait,
};
(Command Command, string Summary)[] commands =
[
    (RunCommand.Create(config, CommonOptions.Wait()), RunCommand.Summary),
    (ValidateCommand.Create(config), ValidateCommand.Summary),
    (ListCommand.Create(config), ListCommand.Summary),
    (VerifyCommand.Create(config), VerifyCommand.Summary),
    (RestoreCommand.Create(config), RestoreCommand.Summary),
    (PruneCommand.Create(config), PruneCommand.Summary),
    (StatusCommand.Create(config), StatusCommand.Summary),
    (DaemonCommand.Create(config), DaemonCommand.Summary),
];
foreach (var (command, _) in commands)
    root.Subcommands.Add(command);
root.SetAction((parse, ct) => RunCommand.ExecuteAsync(parse.GetValue(config), [], dryRun: false, json: false, parse.GetValue(wait), ct));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run `backup --help` for usage.");
    return ExitCodes.ConfigError;
}

RootHelp.ListOnOneLine(parsed, commands);

// The daemon takes its signals itself: SIGTERM stops it gracefully and SIGHUP reloads, where every
// other command is interrupted by them.
using var interruption = DaemonCommand.Handles(parsed) ? null : new Interruption(TimeSpan.FromSeconds(60));
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interruption?.Token ?? CancellationToken.None);
