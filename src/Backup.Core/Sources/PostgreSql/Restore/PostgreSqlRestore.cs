using System.Text;
using Backup.Core.Catalog;
using Backup.Core.Restore;
using Backup.Core.Sources.PostgreSql.Globals;

namespace Backup.Core.Sources.PostgreSql.Restore;

/// <summary>
/// <c>backup restore SOURCE [DATABASE]</c> for a postgresql source: into the database <c>--into</c> (a
/// custom archive by pg_restore, a plain script by psql, proven whole before either starts), the dump
/// as stored to <c>--to-file</c> (<c>-</c>: standard output), or the globals with <c>--globals</c>
/// (listed, and created with <c>--force</c>; to a file with <c>--to-file</c>).
/// </summary>
internal sealed class PostgreSqlRestore(PostgreSqlSourceConfig config, string? item, RestoreRequest request) : IRestoreAction
{
    public static readonly RestoreOption Owner = new(
        "--owner", "keep the dump's owners (a custom archive; without it pg_restore runs --no-owner): their roles must exist, restore --globals first.");

    public static readonly RestoreOption Globals = new(
        "--globals", "the roles and tablespaces of 'globals: true'; says which it would create, and creates them with --force.");

    // pg_dumpall --globals-only of a server with thousands of roles is a few MB; more is no globals artifact.
    private const long MaxGlobalsBytes = 64L << 20;

    /// <summary>Where the restore goes must be given, once: a usage error before anything is read.</summary>
    public static PostgreSqlRestore Plan(PostgreSqlSourceConfig config, RestoreRequest request)
    {
        var (into, toFile) = (request.Value(RestoreOption.Into), request.Value(RestoreOption.ToFile));
        if (into is not null && toFile is not null)
            throw new UsageException("give either --into DATABASE or --to-file FILE, not both");
        if (request.Has(Globals))
        {
            if (request.Item is { } named && named != GlobalsArtifact.ItemName)
                throw new UsageException($"--globals restores the item '{GlobalsArtifact.ItemName}'; leave out '{named}'");
            if (into is not null)
                throw new UsageException("--globals restores the roles and tablespaces onto the source's server; leave out --into (--to-file writes them to a file)");
            if (request.Has(Owner) || request.Has(RestoreOption.SinglePass))
                throw new UsageException($"{(request.Has(Owner) ? Owner : RestoreOption.SinglePass).Name} is for a database restored --into; leave it out with --globals");
            return new PostgreSqlRestore(config, GlobalsArtifact.ItemName, request);
        }

        // With globals off, a database may carry that name; with them on, the source refuses such a database.
        if (config.Globals && request.Item == GlobalsArtifact.ItemName && toFile is null)
            throw new UsageException($"'{GlobalsArtifact.ItemName}' holds the server's roles and tablespaces, not a database: restore it with --globals");
        if (into is null && toFile is null)
            throw new UsageException("restoring a database needs --into NAME (or --to-file PATH)");
        if ((request.Has(Owner) || request.Has(RestoreOption.SinglePass)) && into is null)
            throw new UsageException(
                $"{(request.Has(Owner) ? Owner : RestoreOption.SinglePass).Name} is for a database restored --into; --to-file writes the dump as it is stored");
        return new PostgreSqlRestore(config, request.Item, request);
    }

    public string? Item => item;

    public async Task<string> RunAsync(RestoreContext context, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var force = request.Has(RestoreOption.Force);
        var toFile = request.Value(RestoreOption.ToFile);
        if (request.Has(Globals) && toFile is null)
            return await RestoreGlobalsAsync(context, force, ct);

        var copy = new ArtifactCopy(context.Destination, context.Codecs, context.Log);
        var content = artifact.Manifest.Content == "dump" ? "the archive" : "the SQL";
        if (toFile is "-")
        {
            // Nothing else goes to standard output: logs and the summary are on stderr.
            await using (var stdout = context.StandardOutput())
                await copy.ToStreamAsync(artifact, stdout, "standard output", content, ct);
            return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to standard output (checksum verified)";
        }

        if (toFile is not null)
        {
            var written = await copy.ToFileAsync(artifact, toFile, force, content, ct);
            return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to {written}";
        }

        return await RestoreIntoAsync(context, request.Value(RestoreOption.Into)!, force, request.Has(RestoreOption.SinglePass), ct);
    }

    /// <summary>
    /// The dump proven whole first (checksum, decryption, and pg_restore reading the archive to its end,
    /// or the script's completion line and its <see cref="RestrictedScript"/> guard), then created and applied;
    /// with <paramref name="singlePass"/> applied while read, a plain script still through its guard.
    /// </summary>
    private async Task<string> RestoreIntoAsync(RestoreContext context, string database, bool force, bool singlePass, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var format = artifact.Manifest.Content switch
        {
            "dump" => PgDumpFormat.Custom,
            "sql" => PgDumpFormat.Plain,
            var other => throw new BackupException($"{artifact.Describe()} holds '{other}', not a PostgreSQL dump"),
        };
        var keepOwners = request.Has(Owner);
        if (keepOwners && format == PgDumpFormat.Plain)
            context.Log.Info($"--owner: {artifact.Describe()} is a plain script, which psql applies as it is, its owners included");

        var client = new PostgreSqlClient(config.Connection, PostgreSqlPrograms.Find());
        var target = new PostgreSqlRestoreTarget(client, format, keepOwners);
        // A plain script reaches psql, in either pass, only through its guard against psql's own commands
        // (the check pass's guard is in DumpCompleteness); the import pass's guard also tells whether the
        // script committed on its own.
        var plain = format == PgDumpFormat.Plain;
        RestrictedScript? imported = null;
        Task ImportAsync(Stream dump, CancellationToken token)
        {
            if (plain)
                dump = imported = new RestrictedScript(dump);
            return target.ImportAsync(dump, database, token);
        }

        var passes = new DatabaseImportPasses(ImportAsync)
        {
            Check = singlePass ? null : DumpCompleteness.For(artifact.Manifest),
            CheckNote = " (--single-pass skips this read)",
            // One transaction, unless the script commits on its own (pg_dump does around large objects).
            Atomic = plain ? () => imported?.PassedCommit != true : null,
        };
        var result = await new DatabaseImport(context.Destination, context.Codecs, context.Log)
            .IntoAsync(artifact, target, database, force, passes, ct);
        return $"restored {artifact.Source}/{artifact.Item} as of {artifact.Created:u} into database '{result.Database}' on {target.Describe}" +
               (result.Created ? " (created)" : "");
    }

    /// <summary>The globals artifact read whole and checked, then compared with the server's roles and tablespaces.</summary>
    private async Task<string> RestoreGlobalsAsync(RestoreContext context, bool force, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var bytes = await new ArtifactCopy(context.Destination, context.Codecs, context.Log)
            .ToMemoryAsync(artifact, MaxGlobalsBytes, "a globals artifact", ct);
        var client = new PostgreSqlClient(config.Connection, PostgreSqlPrograms.Find());
        GlobalsPlan plan;
        try
        {
            plan = await GlobalsRestorer.RestoreAsync(client, Encoding.UTF8.GetString(bytes), apply: force, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{artifact.Describe()}: {e.Message}", e);
        }

        var line = $"{client.Describe()} from {artifact.Source}/{artifact.Item} as of {artifact.Created:u}: {plan.Describe(applied: force)}";
        return force || plan.IsEmpty ? line : line + "\nrun again with --force to create them";
    }
}
