using System.CommandLine;
using Backup.Cli;
using Backup.Cli.Commands;
using Backup.Cli.Output;

var config = CommonOptions.Config();
var wait = CommonOptions.Wait();
var logFormat = CommonOptions.LogFormat();
var root = new RootCommand($"""
    backup: streams databases and directories, compressed and encrypted, to S3 or local storage,
    from one YAML config. Without a command it runs every source, like the original script:
      backup --config /etc/backup.yaml

    {ExitCodes.HelpText}
    """)
{
    config,
    wait,
    logFormat,
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
// Chosen before anything is written to stderr, parse errors included (which are JSON too when the
// format itself was given right).
Stderr.Format = LogFormatOf(parsed, logFormat);
if (parsed.Errors.Count > 0)
{
    Stderr.Command = parsed.CommandResult.Command is RootCommand ? null : parsed.CommandResult.Command.Name;
    foreach (var error in parsed.Errors)
        Stderr.Error(error.Message);
    Stderr.Info("Run `backup --help` for usage.");
    return ExitCodes.ConfigError;
}

RootHelp.ListOnOneLine(parsed, commands);

// The daemon takes its signals itself: SIGTERM stops it gracefully and SIGHUP reloads, where every
// other command is interrupted by them.
using var interruption = DaemonCommand.Handles(parsed) ? null : new Interruption(TimeSpan.FromSeconds(60));
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interruption?.Token ?? CancellationToken.None);

static LogFormat LogFormatOf(ParseResult parsed, Option<LogFormat> option)
{
    try
    {
        return parsed.GetValue(option);
    }
    catch (InvalidOperationException)
    {
        // The option's own value was wrong: that error is printed, as text.
        return LogFormat.Text;
    }
}
