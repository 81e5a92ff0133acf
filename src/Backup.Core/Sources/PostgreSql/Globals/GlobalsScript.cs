using System.Text;
using System.Text.RegularExpressions;

namespace Backup.Core.Sources.PostgreSql.Globals;

/// <summary>
/// The statements of a globals artifact (<c>pg_dumpall --globals-only</c>), each classified by the role
/// or tablespace it is about, so that a restore can create what the server lacks and leave alone what
/// it has. Only what pg_dumpall writes is read: anything else, and any psql command but its own
/// <c>\restrict</c>/<c>\unrestrict</c>, makes the whole artifact refused (naming its line, never its
/// text, which holds password hashes).
/// </summary>
public sealed partial class GlobalsScript
{
    private GlobalsScript(IReadOnlyList<GlobalsStatement> statements) => Statements = statements;

    public IReadOnlyList<GlobalsStatement> Statements { get; }

    /// <summary>The roles the script creates, in its order.</summary>
    public IReadOnlyList<string> Roles => Statements.Where(s => s.Kind == GlobalsStatementKind.CreateRole).Select(s => s.Subject!).ToArray();

    public IReadOnlyList<string> Tablespaces =>
        Statements.Where(s => s.Kind == GlobalsStatementKind.CreateTablespace).Select(s => s.Subject!).ToArray();

    public static GlobalsScript Parse(string text)
    {
        var statements = new List<GlobalsStatement>();
        var lines = text.Split('\n');
        var pending = new StringBuilder();
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (pending.Length == 0)
            {
                if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal))
                    continue;
                if (line.StartsWith('\\'))
                {
                    if (!PsqlRestrict().IsMatch(line))
                        throw Refused(i + 1, "a psql command pg_dumpall does not write");
                    continue;
                }

                start = i + 1;
            }
            else
            {
                pending.Append('\n');
            }

            pending.Append(line);
            quote = QuoteAfter(line, quote);
            if (quote != '\0' || !line.EndsWith(';'))
                continue;
            statements.Add(Classify(pending.ToString(), start));
            pending.Clear();
        }

        if (pending.Length > 0)
            throw Refused(start, "a statement without its end");
        return new GlobalsScript(statements);
    }

    /// <summary>The quote still open at the end of <paramref name="line"/>: <c>'</c> (a string), <c>"</c> (a name) or none.</summary>
    private static char QuoteAfter(string line, char open)
    {
        foreach (var c in line)
        {
            if (open == '\0' && c is '\'' or '"')
                open = c;
            else if (c == open)
                open = '\0'; // a doubled quote closes and opens again: the same in the end
        }

        return open;
    }

    private static GlobalsStatement Classify(string text, int line)
    {
        if (Session().IsMatch(text))
            return new GlobalsStatement(GlobalsStatementKind.Session, null, text, line);
        foreach (var (pattern, kind) in Patterns)
        {
            var match = pattern.Match(text);
            if (match.Success)
                return new GlobalsStatement(kind, Unquote(match.Groups["name"].Value), text, line);
        }

        throw Refused(line, "a statement that is not about a role or a tablespace");
    }

    private static readonly (Regex Pattern, GlobalsStatementKind Kind)[] Patterns =
    [
        (CreateRole(), GlobalsStatementKind.CreateRole),
        (AboutRole(), GlobalsStatementKind.Role),
        (Grant(), GlobalsStatementKind.Membership),
        (CreateTablespace(), GlobalsStatementKind.CreateTablespace),
        (AboutTablespace(), GlobalsStatementKind.Tablespace),
    ];

    /// <summary><c>"Odd ""name"""</c> → <c>Odd "name"</c>; a bare name as it is (pg_dumpall quotes any name that needs it).</summary>
    internal static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"") : identifier;

    private static BackupException Refused(int line, string what) =>
        new($"the globals artifact has {what} at line {line}; it is restored only as pg_dumpall --globals-only wrote it");

    private const string Name = """(?<name>"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";
    private const string AnyName = """(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";

    [GeneratedRegex(@"^\\(un)?restrict [A-Za-z0-9]+$")]
    private static partial Regex PsqlRestrict();

    [GeneratedRegex(@"^SET [a-z_]+ = [^;]*;$")]
    private static partial Regex Session();

    [GeneratedRegex($"^CREATE ROLE {Name};$")]
    private static partial Regex CreateRole();

    [GeneratedRegex($"^(?:ALTER ROLE {Name} |COMMENT ON ROLE {Name} IS |SECURITY LABEL FOR {AnyName} ON ROLE {Name} IS )", RegexOptions.Singleline)]
    private static partial Regex AboutRole();

    [GeneratedRegex($"^GRANT {AnyName} TO {Name}( |;)")]
    private static partial Regex Grant();

    [GeneratedRegex($"^CREATE TABLESPACE {Name} ")]
    private static partial Regex CreateTablespace();

    [GeneratedRegex(
        $"^(?:ALTER TABLESPACE {Name} |COMMENT ON TABLESPACE {Name} IS |SECURITY LABEL FOR {AnyName} ON TABLESPACE {Name} IS |(?:GRANT|REVOKE) [A-Z, ]+ ON TABLESPACE {Name} )",
        RegexOptions.Singleline)]
    private static partial Regex AboutTablespace();
}
