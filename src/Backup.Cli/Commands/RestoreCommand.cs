using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Restore;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.MySql.Accounts;

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
        var to = new Option<string?>("--to") { Description = "Directories: the target directory (created if missing; must be empty unless --force)." };
        var into = new Option<string?>("--into") { Description = "MySQL: the database to restore into (created if missing; must be empty unless --force)." };
        var toFile = new Option<string?>("--to-file")
        {
            Description = "MySQL: write the plain .sql to this new regular file (0600) instead; - writes it to standard output. "
                          + "Its folder must exist; a symbolic link, FIFO or device is refused, even with --force.",
        };
        var force = new Option<bool>("--force") { Description = "Restore over a non-empty target (a directory's content is replaced); with --users, create the accounts." };
        var users = new Option<bool>("--users") { Description = "MySQL: the accounts and grants of 'users: true'; says which it would create, and creates them with --force." };
        var singlePass = new Option<bool>("--single-pass")
        {
            Description = "MySQL: import while reading, without first proving the whole artifact (for dumps too large to read twice).",
        };
        var gnupgHome = new Option<string?>("--gnupg-home") { Description = "Keyring holding the secret key (default: gpg's)." };
        var command = new Command("restore", """
            Restore a source's backup: downloaded, checksummed, decrypted, decompressed and applied as one
            stream. Directories: the full archive and then each incremental up to --at, in order, into --to.
            MySQL: into the database --into (or the plain SQL into --to-file); the artifact is read once to
            prove its checksum, decryption, completeness and that every statement stays in --into, and only
            then applied (--single-pass applies while reading). A checksum or decryption failure leaves no
            half-restored target presented as done.

            --to-file FILE writes a regular file of its own, mode 0600, as FILE.PID.partial renamed to FILE
            once the checksum matched (an existing FILE only with --force). Refused as usage errors
            (exit 2), even with --force: a folder that does not exist, and a FILE that is a symbolic
            link (/dev/stdout is one), a FIFO, a device or a socket. --to-file - streams the SQL to
            standard output (logs go to stderr); the checksum is known only at the end, so if it fails
            the exit code is 1 and what was written is incomplete or untrustworthy: discard it.

            Examples:
              backup restore home --to /srv/restore/home
              backup restore home --at 2026-11-20T00:00:00Z --to /srv/restore/home-nov20
              backup restore prod app --into app_restored
              backup restore prod app --to-file /tmp/app.sql --gnupg-home /root/restore-keys
              backup restore prod app --to-file - | less
              backup restore prod --users            # lists the accounts it would create
              backup restore prod --users --force    # creates those the server lacks

            """ + ExitCodes.HelpText) { source, item, at, destination, to, into, toFile, force, users, singlePass, gnupgHome };
        command.SetAction((parse, ct) => CommandExecution.RunAsync("restore", async token =>
        {
            var log = new ConsoleEventLog();
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var sourceName = parse.GetValue(source)!;
            var sourceConfig = store.Source(sourceName);
            var scope = store.Scopes(sourceName, parse.GetValue(destination))[0];
            var read = scope.Destination;
            var itemName = parse.GetValue(users) ? UsersItem(sourceConfig, parse.GetValue(item)) : parse.GetValue(item);
            RequireTarget(sourceConfig, parse.GetValue(to), parse.GetValue(into), parse.GetValue(toFile), parse.GetValue(users));
            var when = ArtifactStamp.ParseAt(parse.GetValue(at));
            var listing = await StoreAccess.ReadLatestAsync(scope with { Sources = [sourceName] }, itemName, when, token);
            var artifact = ArtifactSelection.Single(listing.Entries, sourceName, itemName, when);
            var codecs = StoreAccess.Codecs(parse.GetValue(gnupgHome));

            switch (sourceConfig)
            {
                case DirectorySourceConfig:
                {
                    var target = parse.GetValue(to)!;
                    var point = ArtifactSelection.Resolve(listing.Entries, artifact);
                    var result = await new DirectoryRestorer(read, codecs, log).RestoreAsync(point, target, parse.GetValue(force), token);
                    Stderr.Info($"restored {artifact.Source}/{artifact.Item} as of {artifact.Created:u} into {result.Target} ({result.AppliedKeys.Count} archive(s): {string.Join(", ", result.AppliedKeys)})");
                    break;
                }

                case MySqlSourceConfig mysql when parse.GetValue(users) && parse.GetValue(toFile) is null:
                {
                    var server = MySqlClient.FromConfig(mysql);
                    var plan = await new AccountsRestorer(read, codecs).RestoreAsync(artifact, server, parse.GetValue(force), token);
                    Stderr.Info(AccountsReport.Describe(plan, artifact, server.Describe()));
                    break;
                }

                case MySqlSourceConfig mysql:
                {
                    var restorer = new SqlRestorer(read, codecs, log);
                    if (parse.GetValue(toFile) is "-")
                    {
                        // Nothing else goes to standard output: logs and this summary are on stderr.
                        await using (var stdout = Console.OpenStandardOutput())
                            await restorer.RestoreToStreamAsync(artifact, stdout, "standard output", token);
                        Stderr.Info($"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to standard output (checksum verified)");
                        break;
                    }

                    if (parse.GetValue(toFile) is { } file)
                    {
                        var written = await restorer.RestoreToFileAsync(artifact, file, parse.GetValue(force), token);
                        Stderr.Info($"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to {written}");
                        break;
                    }

                    var database = parse.GetValue(into)!;
                    var result = await restorer.RestoreIntoAsync(artifact, new MySqlRestoreTarget(MySqlClient.FromConfig(mysql)), database, parse.GetValue(force), parse.GetValue(singlePass), token);
                    Stderr.Info($"restored {artifact.Source}/{artifact.Item} as of {artifact.Created:u} into database '{result.Database}'{(result.Created ? " (created)" : "")}");
                    break;
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Where the restore goes must be given, and fit the source's kind: a usage error before anything is read.</summary>
    private static void RequireTarget(SourceConfig source, string? to, string? into, string? toFile, bool users)
    {
        switch (source)
        {
            case DirectorySourceConfig when into is not null || toFile is not null || users:
                throw new UsageException($"{source.YamlPath} is a directory source: restore it with --to DIR (--into, --to-file and --users are for mysqldump sources)");
            case DirectorySourceConfig when to is null:
                throw new UsageException("restoring a directory needs --to DIR");
            case MySqlSourceConfig when to is not null:
                throw new UsageException($"{source.YamlPath} is a mysqldump source: restore with --into DATABASE or --to-file FILE (--to is for directories)");
            case MySqlSourceConfig when into is not null && toFile is not null:
                throw new UsageException("give either --into DATABASE or --to-file FILE, not both");
            case MySqlSourceConfig when !users && into is null && toFile is null:
                throw new UsageException("restoring a database needs --into NAME (or --to-file PATH)");
        }
    }

    private static string UsersItem(SourceConfig source, string? item)
    {
        if (source is not MySqlSourceConfig)
            throw new UsageException("--users restores the accounts of a mysqldump source");
        if (item is not null && item != AccountsArtifact.ItemName)
            throw new UsageException($"--users restores the item '{AccountsArtifact.ItemName}'; leave out '{item}'");
        return AccountsArtifact.ItemName;
    }
}
