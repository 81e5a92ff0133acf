using System.CommandLine;
using Backup.Cli.Output;
using Backup.Core.Catalog;
using Backup.Core.Restore;

namespace Backup.Cli.Commands;

/// <summary><c>backup verify</c>: download, decrypt, decompress and check artifacts as a stream, writing nothing.</summary>
internal static class VerifyCommand
{
    /// <summary>Its line in <c>backup --help</c>.</summary>
    public const string Summary = "Prove that stored artifacts can be restored";

    public static Command Create(Option<FileInfo?> config)
    {
        var source = new Option<string?>("--source", "-s") { Description = "Only this source." };
        var destination = new Option<string?>("--destination", "-d") { Description = "Only this destination." };
        var all = new Option<bool>("--all") { Description = "Every stored artifact (default: the latest of each item, with its chain)." };
        var latest = new Option<bool>("--latest") { Description = "The latest artifact of each item and every link of its chain (the default)." };
        var at = new Option<string?>("--at") { Description = "The artifacts a restore at this time would use (ISO 8601 or 20261126T101500Z)." };
        var gnupgHome = new Option<string?>("--gnupg-home") { Description = "Keyring holding the secret key (default: gpg's)." };
        var strict = new Option<bool>("--strict") { Description = "Also fail on orphans that a later complete backup of their item superseded." };
        var json = CommonOptions.Json();
        var command = new Command("verify", """
            Prove that artifacts can be restored, without restoring them: each is downloaded, its size and
            SHA-256 compared with its manifest, decrypted, decompressed and read to the end (tar to its
            end-of-archive, a SQL dump to its completion trailer); incremental chains must have every link.

            Examples:
              backup verify --config /etc/backup.yaml
              backup verify --source home --all --gnupg-home /root/restore-keys

            """ + ExitCodes.HelpText) { source, destination, all, latest, at, gnupgHome, strict, json };
        command.SetAction((parse, ct) => CommandExecution.RunAsync("verify", async token =>
        {
            var log = new ConsoleEventLog();
            await using var store = StoreAccess.Open(parse.GetValue(config), log, token);
            var when = ArtifactStamp.ParseAt(parse.GetValue(at));
            var codecs = StoreAccess.Codecs(parse.GetValue(gnupgHome));
            var reports = new List<VerifyReport>();
            foreach (var scope in store.Scopes(parse.GetValue(source), parse.GetValue(destination)))
            {
                // --all reads every manifest; otherwise only those of the latest artifacts and their chains.
                var listing = parse.GetValue(all) ? await StoreAccess.ReadAsync(scope, token) : await StoreAccess.ReadLatestAsync(scope, null, when, token);
                var selected = parse.GetValue(all) ? listing.Entries : WithChains(listing, ArtifactSelection.Latest(listing.Entries, parse.GetValue(source), null, when));
                reports.Add(await new Verifier(scope.Destination, codecs).VerifyAsync(listing, selected, token));
            }

            var artifacts = reports.SelectMany(r => r.Artifacts).ToList();
            var problems = reports.SelectMany(r => r.CatalogProblems).ToList();
            foreach (var a in artifacts)
            {
                if (a.Ok)
                    Stderr.Info($"ok     {a.Entry.Describe()} ({ByteSize.Format(a.StoredBytes)}, sha256 {a.Sha256})");
                else
                    Stderr.Error($"FAILED {a.Entry.Describe()}: {string.Join("; ", a.Problems)}");
            }

            foreach (var p in problems)
            {
                if (p.Fails(parse.GetValue(strict)))
                    Stderr.Error($"FAILED {p}");
                else
                    Stderr.Warn($"orphan {p}");
            }

            // With --latest only the chosen artifacts were read: a mix is seen where they come from two hosts.
            var mixed = MixedHosts.In(artifacts.Select(a => a.Entry));
            foreach (var series in mixed)
                Stderr.Warn($"warning: {series}");
            var failed = artifacts.Count(a => !a.Ok) + problems.Count(p => p.Fails(parse.GetValue(strict)));
            Stderr.Line(failed == 0 ? "info" : "error", $"verify: {artifacts.Count(a => a.Ok)} ok, {failed} failed");
            if (parse.GetValue(json))
                JsonOutput.Write(new
                {
                    Ok = failed == 0,
                    Artifacts = artifacts.Select(a => new { a.Entry.Destination, a.Entry.ObjectKey, a.Ok, a.StoredBytes, a.Sha256, a.Problems }),
                    Problems = problems,
                    MixedHosts = mixed,
                });
            if (artifacts.Count == 0 && problems.Count == 0)
            {
                Stderr.Error("verify: nothing to verify (no artifacts found)");
                return ExitCodes.Failed;
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    /// <summary>Adds every earlier link of each selected incremental: a restore needs them all.</summary>
    private static IReadOnlyList<CatalogEntry> WithChains(CatalogListing listing, IReadOnlyList<CatalogEntry> selected)
    {
        var result = new List<CatalogEntry>();
        foreach (var entry in selected)
        {
            try
            {
                result.AddRange(ArtifactSelection.Resolve(listing.Entries, entry).Links);
            }
            catch (Core.BackupException)
            {
                result.Add(entry); // the verifier reports the broken chain on this entry
            }
        }

        return result.Distinct().ToList();
    }
}
