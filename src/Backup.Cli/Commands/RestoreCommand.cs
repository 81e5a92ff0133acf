using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Restore;
using Backup.Core.Sources;

namespace Backup.Cli.Commands;

/// <summary><c>backup restore SOURCE [ITEM]</c>: stream an artifact (and its chain) back into a directory, database or file.</summary>
internal static class RestoreCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Restore a directory or a database from its backup";

    public static Command Create(Option<FileInfo?> config)
    {
        var source = new Argument<string>("source") { Description = "The source's name in the config." };
        var item = new Argument<string?>("item") { Description = "Database or directory name (needed when the source has several).", Arity = ArgumentArity.ZeroOrOne };
        var at = new Option<string?>("--at") { Description = "'latest' (default) or a time: the newest backup made at or before it." };
        var destination = new Option<string?>("--destination", "-d") { Description = "Read from this destination (default: the source's first)." };
        // Where a restore goes (--to, --into, --to-file) and each kind's own options: declared by the kinds.
        var targets = SourceRestore.Options.Select(o => (o.Option, Cli: Declare(o.Option, o.Kinds))).ToList();
        var gnupgHome = new Option<string?>("--gnupg-home") { Description = "Keyring holding the secret key (default: gpg's)." };
        var command = new Command("restore", Description()) { source, item, at, destination };
        foreach (var (_, option) in targets)
            command.Options.Add(option);
        command.Options.Add(gnupgHome);
        command.SetAction((parse, ct) => CommandExecution.RunAsync("restore", async token =>
        {
            var log = new ConsoleEventLog();
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var sourceName = parse.GetValue(source)!;
            var sourceConfig = store.Source(sourceName);
            var scope = store.Scopes(sourceName, parse.GetValue(destination))[0];
            var request = new RestoreRequest(parse.GetValue(item), Given(parse, targets));
            var restore = SourceRestore.Plan(sourceConfig, request);
            var when = ArtifactStamp.ParseAt(parse.GetValue(at));
            var listing = await StoreAccess.ReadLatestAsync(scope with { Sources = [sourceName] }, restore.Item, when, token);
            var artifact = ArtifactSelection.Single(listing.Entries, sourceName, restore.Item, when);
            var codecs = StoreAccess.Codecs(parse.GetValue(gnupgHome));
            var done = await restore.RunAsync(new RestoreContext(scope.Destination, codecs, log, listing, artifact, Console.OpenStandardOutput), token);
            Stderr.Info(done);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>The command's help: what every restore does, then each kind's part, then --to-file, then examples.</summary>
    private static string Description()
    {
        var kinds = SourceKinds.All.Select(kind => $"{kind.Key}: {kind.RestoreHelp.Text}");
        var examples = SourceKinds.All.SelectMany(kind => kind.RestoreHelp.Examples).Select(line => "  " + line);
        return string.Join("\n\n", [
            """
            Restore a source's backup: downloaded, checksummed, decrypted, decompressed and applied as one
            stream. A checksum or decryption failure leaves no half-restored target presented as done.
            """,
            .. kinds,
            """
            --to-file FILE writes a regular file of its own, mode 0600, as FILE.PID.partial renamed to FILE
            once the checksum matched (an existing FILE only with --force). Refused as usage errors
            (exit 2), even with --force: a folder that does not exist, and a FILE that is a symbolic
            link (/dev/stdout is one), a FIFO, a device or a socket. --to-file - streams the content to
            standard output (logs go to stderr); the checksum is known only at the end, so if it fails
            the exit code is 1 and what was written is incomplete or untrustworthy: discard it.
            """,
            "Examples:\n" + string.Join("\n", examples),
            ExitCodes.HelpText,
        ]);
    }

    /// <summary>The CLI option for <paramref name="option"/>; its help names the kinds that take it when not every kind does.</summary>
    private static Option Declare(RestoreOption option, IReadOnlyList<string> kinds)
    {
        var description = kinds.Count == SourceKinds.All.Count
            ? char.ToUpperInvariant(option.Description[0]) + option.Description[1..]
            : $"{string.Join(", ", kinds)}: {option.Description}";
        return option.IsFlag
            ? new Option<bool>(option.Name) { Description = description }
            : new Option<string?>(option.Name) { Description = description, HelpName = option.ValueName };
    }

    /// <summary>The options given on the command line, by name: a flag set, a value present.</summary>
    private static Dictionary<string, string?> Given(ParseResult parse, IEnumerable<(RestoreOption Option, Option Cli)> targets)
    {
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (option, cli) in targets)
        {
            switch (cli)
            {
                case Option<bool> flag when parse.GetValue(flag):
                    given[option.Name] = null;
                    break;
                case Option<string?> value when parse.GetValue(value) is { } text:
                    given[option.Name] = text;
                    break;
            }
        }

        return given;
    }
}
