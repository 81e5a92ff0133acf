using System.Text;

namespace Backup.Core.Sources.PostgreSql.Globals;

/// <summary>
/// What restoring a globals artifact onto a server does: the roles and tablespaces it has that the
/// server lacks are created, with their attributes, settings, comments and memberships; what the server
/// has already is left exactly as it is (so its own superuser is never touched), and a membership of
/// an existing role is not added. <see cref="Describe"/> is what the restore prints without
/// <c>--force</c>; <see cref="RolesScript"/> and <see cref="TablespacesScript"/> are what it runs with it.
/// </summary>
public sealed record GlobalsPlan(
    IReadOnlyList<string> CreateRoles, IReadOnlyList<string> ExistingRoles,
    IReadOnlyList<string> CreateTablespaces, IReadOnlyList<string> ExistingTablespaces,
    string RolesScript, IReadOnlyList<string> TablespacesScript)
{
    public bool IsEmpty => CreateRoles.Count == 0 && CreateTablespaces.Count == 0;

    public static GlobalsPlan Of(GlobalsScript script, IReadOnlyCollection<string> serverRoles, IReadOnlyCollection<string> serverTablespaces)
    {
        var roles = new HashSet<string>(serverRoles, StringComparer.Ordinal);
        var tablespaces = new HashSet<string>(serverTablespaces, StringComparer.Ordinal);
        var newRoles = script.Roles.Where(r => !roles.Contains(r)).ToHashSet(StringComparer.Ordinal);
        var newTablespaces = script.Tablespaces.Where(t => !tablespaces.Contains(t)).ToHashSet(StringComparer.Ordinal);

        var sessions = script.Statements.Where(s => s.Kind == GlobalsStatementKind.Session).Select(s => s.Text).ToArray();
        var rolesScript = new StringBuilder();
        foreach (var statement in script.Statements)
        {
            var applies = statement.Kind switch
            {
                GlobalsStatementKind.CreateRole or GlobalsStatementKind.Role or GlobalsStatementKind.Membership => newRoles.Contains(statement.Subject!),
                _ => false,
            };
            if (applies)
                rolesScript.Append(statement.Text).Append('\n');
        }

        // CREATE TABLESPACE cannot run in a transaction: each statement on its own, after the roles that own them.
        var tablespacesScript = script.Statements
            .Where(s => s.Kind is GlobalsStatementKind.CreateTablespace or GlobalsStatementKind.Tablespace && newTablespaces.Contains(s.Subject!))
            .Select(s => string.Join('\n', [.. sessions, s.Text]))
            .ToArray();

        return new GlobalsPlan(
            script.Roles.Where(newRoles.Contains).ToArray(), script.Roles.Where(roles.Contains).ToArray(),
            script.Tablespaces.Where(newTablespaces.Contains).ToArray(), script.Tablespaces.Where(tablespaces.Contains).ToArray(),
            rolesScript.Length == 0 ? "" : string.Join('\n', sessions) + "\n" + rolesScript,
            tablespacesScript);
    }

    /// <summary>"would create roles: a, b; the server has (left as they are): postgres; ..." for the console.</summary>
    public string Describe(bool applied)
    {
        var verb = applied ? "created" : "would create";
        var parts = new List<string>
        {
            CreateRoles.Count == 0 ? "no role to create" : $"{verb} roles: {string.Join(", ", CreateRoles)}",
        };
        if (ExistingRoles.Count > 0)
            parts.Add($"roles the server has (left as they are): {string.Join(", ", ExistingRoles)}");
        if (CreateTablespaces.Count > 0)
            parts.Add($"{verb} tablespaces: {string.Join(", ", CreateTablespaces)} (their directories must exist on the server)");
        if (ExistingTablespaces.Count > 0)
            parts.Add($"tablespaces the server has: {string.Join(", ", ExistingTablespaces)}");
        return string.Join("; ", parts);
    }
}
