namespace Backup.Core.Sources.PostgreSql.Globals;

/// <summary>
/// <c>backup restore SOURCE --globals</c> for PostgreSQL: takes the whole artifact (it is small), checks
/// its completion line and every statement, plans against the server's roles and tablespaces, and applies the plan only when asked to
/// (<paramref name="apply"/>, the CLI's <c>--force</c>): the roles in one transaction, then each
/// missing tablespace.
/// </summary>
public static class GlobalsRestorer
{
    public static async Task<GlobalsPlan> RestoreAsync(PostgreSqlClient client, string globals, bool apply, CancellationToken ct)
    {
        var trailer = PlainDumpTrailer.ForGlobals();
        trailer.Observe(System.Text.Encoding.UTF8.GetBytes(globals));
        if (!trailer.IsComplete)
            throw new BackupException($"the globals artifact does not end with '{trailer.CompletionLine}', so it is incomplete; nothing was applied");
        var script = GlobalsScript.Parse(globals);
        var (roles, tablespaces) = await client.ListGlobalsAsync(ct);
        var plan = GlobalsPlan.Of(script, roles, tablespaces);
        if (!apply)
            return plan;
        if (plan.RolesScript.Length > 0)
            await client.RunScriptAsync(plan.RolesScript, singleTransaction: true, ct);
        foreach (var statement in plan.TablespacesScript)
            await client.RunScriptAsync(statement, singleTransaction: false, ct);
        return plan;
    }
}
