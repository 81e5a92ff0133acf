using Backup.Core.Catalog;

namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>What <c>restore --users</c> prints: the accounts it would create (or created), and those it left alone.</summary>
public static class AccountsReport
{
    public static string Describe(AccountsPlan plan, CatalogEntry artifact, string server)
    {
        var from = $"{artifact.Source}/{artifact.Item} as of {artifact.Created:u}";
        var lines = new List<string>();
        if (plan.ToCreate.Count == 0)
            lines.Add($"{server} has every account of {from}; nothing to create");
        else
            lines.Add($"{(plan.Applied ? "created" : "would create")} {plan.ToCreate.Count} account(s) on {server} from {from}: " +
                      string.Join(", ", plan.ToCreate.Select(a => $"{a.Account} ({a.Statements} statement(s))")));
        if (plan.Existing.Count > 0)
            lines.Add($"already there, left as they are: {string.Join(", ", plan.Existing)}");
        if (!plan.Applied && plan.ToCreate.Count > 0)
            lines.Add(plan.MissingPrivileges.Count == 0
                ? "run again with --force to create them"
                : $"this login lacks {string.Join(" and ", plan.MissingPrivileges)}: run again with --force and an administrator's login (e.g. root) to create them");
        return string.Join("\n", lines);
    }
}
