using System.Text;
using Backup.Core.Catalog;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Restore;

namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>
/// What <c>restore --users</c> finds: the accounts it creates (with their statements), those the server
/// has, and what the login lacks to create them (CREATE USER, GRANT OPTION).
/// </summary>
public sealed record AccountsPlan(
    IReadOnlyList<(Account Account, int Statements)> ToCreate, IReadOnlyList<Account> Existing, bool Applied,
    IReadOnlyList<string> MissingPrivileges);

/// <summary>
/// <c>backup restore SOURCE --users</c>: the accounts artifact, checked (size, SHA-256, decryption)
/// before anything is applied, read as <see cref="AccountsScript"/>, compared with the server's
/// accounts. Only accounts the server lacks are created, with their grants; existing ones are left as
/// they are. Without <c>force</c> it only says what it would create.
/// </summary>
public sealed class AccountsRestorer(IDestination destination, ArtifactCodecs codecs)
{
    // Accounts and grants are small; a larger artifact is no accounts artifact.
    private const long MaxBytes = 64L << 20;

    public async Task<AccountsPlan> RestoreAsync(CatalogEntry artifact, MySqlClient server, bool force, CancellationToken ct)
    {
        if (artifact.Item != AccountsArtifact.ItemName)
            throw new BackupException($"{artifact.Describe()} is a database, not the accounts artifact of 'users: true'");
        var text = await new ArtifactCopy(destination, codecs, IEventLog.Null).ToMemoryAsync(artifact, MaxBytes, "an accounts artifact", ct);
        var statements = AccountsScript.Parse(Encoding.UTF8.GetString(text));

        var existing = (await server.ListAccountsAsync(ct)).ToHashSet();
        var created = statements.Where(s => s.Creates).Select(s => s.Subject!).Distinct().ToArray();
        var toCreate = created.Where(a => !existing.Contains(a)).ToHashSet();
        var missing = toCreate.Count == 0 ? [] : await server.MissingAccountPrivilegesAsync(ct);
        var plan = new AccountsPlan(
            created.Where(toCreate.Contains).Select(a => (a, statements.Count(s => a.Equals(s.Subject)))).ToArray(),
            created.Where(existing.Contains).ToArray(),
            Applied: force && toCreate.Count > 0,
            missing);
        if (!plan.Applied)
            return plan;

        // Checked first: a login that can create accounts but not grant would leave them without their grants.
        if (missing.Count > 0)
            throw new BackupException(
                $"{server.Describe()} lacks {string.Join(" and ", missing)} for creating accounts with their grants; nothing was " +
                "created: restore the accounts with an administrator's login (e.g. root) in the source's config");

        var script = string.Join("\n", statements.Where(s => s.Subject is null || toCreate.Contains(s.Subject)).Select(s => s.Text));
        await server.RunScriptAsync(script + "\n", ct);
        return plan;
    }
}
