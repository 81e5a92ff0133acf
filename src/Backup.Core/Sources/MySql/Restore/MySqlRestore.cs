using Backup.Core.Restore;
using Backup.Core.Sources.MySql.Accounts;

namespace Backup.Core.Sources.MySql.Restore;

/// <summary>
/// <c>backup restore SOURCE [DATABASE]</c> for a mysqldump source: into the database <c>--into</c>, as
/// plain SQL to <c>--to-file</c> (<c>-</c>: standard output), or the accounts of <c>users: true</c>
/// with <c>--users</c> (listed, and created with <c>--force</c>; to a file with <c>--to-file</c>).
/// </summary>
internal sealed class MySqlRestore(MySqlSourceConfig config, string? item, RestoreRequest request) : IRestoreAction
{
    public static readonly RestoreOption Users = new(
        "--users", "the accounts and grants of 'users: true'; says which it would create, and creates them with --force.");

    /// <summary>Where the restore goes must be given, once: a usage error before anything is read.</summary>
    public static MySqlRestore Plan(MySqlSourceConfig config, RestoreRequest request)
    {
        var users = request.Has(Users);
        var item = users ? UsersItem(request.Item) : request.Item;
        var (into, toFile) = (request.Value(RestoreOption.Into), request.Value(RestoreOption.ToFile));
        if (into is not null && toFile is not null)
            throw new UsageException("give either --into DATABASE or --to-file FILE, not both");
        if (!users && into is null && toFile is null)
            throw new UsageException("restoring a database needs --into NAME (or --to-file PATH)");
        return new MySqlRestore(config, item, request);
    }

    private static string UsersItem(string? item)
    {
        if (item is not null && item != AccountsArtifact.ItemName)
            throw new UsageException($"--users restores the item '{AccountsArtifact.ItemName}'; leave out '{item}'");
        return AccountsArtifact.ItemName;
    }

    public string? Item => item;

    public async Task<string> RunAsync(RestoreContext context, CancellationToken ct)
    {
        var artifact = context.Artifact;
        var force = request.Has(RestoreOption.Force);
        var toFile = request.Value(RestoreOption.ToFile);
        if (request.Has(Users) && toFile is null)
        {
            var server = MySqlClient.FromConfig(config);
            var plan = await new AccountsRestorer(context.Destination, context.Codecs).RestoreAsync(artifact, server, force, ct);
            return AccountsReport.Describe(plan, artifact, server.Describe());
        }

        var restorer = new SqlRestorer(context.Destination, context.Codecs, context.Log);
        if (toFile is "-")
        {
            // Nothing else goes to standard output: logs and the summary are on stderr.
            await using (var stdout = context.StandardOutput())
                await restorer.RestoreToStreamAsync(artifact, stdout, "standard output", ct);
            return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to standard output (checksum verified)";
        }

        if (toFile is not null)
        {
            var written = await restorer.RestoreToFileAsync(artifact, toFile, force, ct);
            return $"wrote {artifact.Source}/{artifact.Item} as of {artifact.Created:u} to {written}";
        }

        var database = request.Value(RestoreOption.Into)!;
        var result = await restorer.RestoreIntoAsync(
            artifact, new MySqlRestoreTarget(MySqlClient.FromConfig(config)), database, force, request.Has(RestoreOption.SinglePass), ct);
        return $"restored {artifact.Source}/{artifact.Item} as of {artifact.Created:u} into database '{result.Database}'{(result.Created ? " (created)" : "")}";
    }
}
