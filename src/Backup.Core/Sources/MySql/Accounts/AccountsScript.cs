using System.Text;
using System.Text.RegularExpressions;
using Backup.Core.Sources.MySql.RestoreGuard;

namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>One statement of an accounts artifact, and the account it creates or grants to (none: bookkeeping).</summary>
public sealed record AccountStatement(string Text, Account? Subject, bool Creates);

/// <summary>
/// Reads the accounts artifact of <c>users: true</c>: <c>mariadb-dump --system=users</c> output, or the
/// tool's own SHOW CREATE USER / SHOW GRANTS script for MySQL. Both write one statement per line.
/// Each statement is sorted by the account it is about, so that a restore can apply those of the
/// accounts the server lacks and leave existing ones as they are; a statement of any other kind
/// (which neither writes) makes the artifact unusable rather than guessed at.
/// </summary>
public static partial class AccountsScript
{
    /// <summary>The role mariadb-dump creates for the import and drops at its end.</summary>
    private const string ImportRole = "mariadb_dump_import_role";

    public static IReadOnlyList<AccountStatement> Parse(string text)
    {
        var statements = new List<AccountStatement>();
        var pending = new StringBuilder();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.Trim().Length == 0 || line.StartsWith("--", StringComparison.Ordinal)
                                        || line.StartsWith("/*M!999999\\-", StringComparison.Ordinal)))
                continue;
            pending.Append(pending.Length == 0 ? "" : "\n").Append(line);
            if (!line.TrimEnd().EndsWith(';'))
                continue;
            var statement = Classify(pending.ToString(), number);
            RequireOneStatement(statement, number);
            statements.Add(statement);
            pending.Clear();
        }

        if (pending.Length > 0)
            throw new BackupException($"the accounts artifact ends in the middle of a statement (line {number})");
        return statements;
    }

    private static AccountStatement Classify(string statement, int line)
    {
        var body = Unwrap(statement);
        if (Bookkeeping().IsMatch(body) || ImportRoleLife().IsMatch(body))
            return new AccountStatement(statement, null, false);

        if (CreateRole().Match(body) is { Success: true } role)
        {
            var name = Unquote(role.Groups["name"].Value);
            return name == ImportRole ? new AccountStatement(statement, null, false) : new AccountStatement(statement, new Account(name, null), true);
        }

        if (CreateUser().Match(body) is { Success: true } create)
            return new AccountStatement(statement, AccountAt(create.Groups["account"].Value, line), true);
        if (GrantTo().Match(body) is { Success: true } grant)
        {
            var grantee = grant.Groups["account"].Value;
            return grantee.StartsWith(ImportRole, StringComparison.Ordinal) || grantee.StartsWith("CURRENT_USER", StringComparison.OrdinalIgnoreCase)
                ? new AccountStatement(statement, null, false)
                : new AccountStatement(statement, AccountAt(grantee, line), false);
        }

        if (DefaultRoleFor().Match(body) is { Success: true } defaults)
            return new AccountStatement(statement, AccountAt(defaults.Groups["account"].Value, line), false);
        if (AlterUser().Match(body) is { Success: true } alter)
            return new AccountStatement(statement, AccountAt(alter.Groups["account"].Value, line), false);

        throw new BackupException(
            $"line {line} of the accounts artifact is no statement about accounts ({(body.Length > 60 ? body[..60] + "…" : body)}); " +
            "it is not restored by guessing");
    }

    /// <summary>
    /// What the parser took for one statement must be one for the server too: the database restore's
    /// scanner counts them, so that "CREATE USER x; DROP DATABASE y;" on one line is refused.
    /// </summary>
    private static void RequireOneStatement(AccountStatement statement, int line)
    {
        var counter = new StatementCounter();
        try
        {
            new SqlScriptScanner(counter).Scan(Encoding.UTF8.GetBytes(statement.Text), final: true);
        }
        catch (RestoreRefusedException e)
        {
            throw new BackupException($"line {line} of the accounts artifact cannot be checked: {e.Reason}", e);
        }

        if (counter.Statements != 1)
            throw new BackupException($"line {line} of the accounts artifact holds {counter.Statements} statements where one was expected");
    }

    private sealed class StatementCounter : ISqlScriptSink
    {
        private bool _tokens;

        public int Statements { get; private set; }

        public bool? AnsiQuotes => false;

        public bool? NoBackslashEscapes => false;

        public bool WantsStringValues => false;

        public void Token(in SqlToken token) => _tokens = true;

        public void StatementEnd(long line)
        {
            if (_tokens)
                Statements++;
            _tokens = false;
        }

        public void QueryEnd(long line)
        {
        }
    }

    /// <summary>The statement inside a <c>/*!NNNNN ... */</c> or <c>/*M!NNNNNN ... */</c> wrapper, without its ';'.</summary>
    private static string Unwrap(string statement)
    {
        var body = statement.Trim().TrimEnd(';').Trim();
        var versioned = Versioned().Match(body);
        return versioned.Success ? versioned.Groups["body"].Value.Trim() : body;
    }

    private static Account AccountAt(string text, int line)
    {
        var match = AccountName().Match(text);
        if (!match.Success)
            throw new BackupException($"line {line} of the accounts artifact names no account ({text})");
        return match.Groups["host"].Success
            ? new Account(Unquote(match.Groups["user"].Value), Unquote(match.Groups["host"].Value))
            : new Account(Unquote(match.Groups["user"].Value), null);
    }

    private static string Unquote(string name)
    {
        if (name.Length < 2)
            return name;
        var quote = name[0];
        if (quote is not ('`' or '\'' or '"') || name[^1] != quote)
            return name;
        var inner = name[1..^1].Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);
        return quote == '\'' ? inner.Replace("\\\\", "\\", StringComparison.Ordinal).Replace("\\'", "'", StringComparison.Ordinal) : inner;
    }

    private const string Name = @"(?:`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|""(?:[^""]|"""")*""|[A-Za-z0-9_$.-]+)";

    [GeneratedRegex(@"^/\*M?!\d{5,6}\s+(?<body>.*?)\s*\*/$", RegexOptions.Singleline)]
    private static partial Regex Versioned();

    [GeneratedRegex(@"^(?<user>" + Name + @")(?:@(?<host>" + Name + @"))?")]
    private static partial Regex AccountName();

    [GeneratedRegex(@"^CREATE\s+USER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<account>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateUser();

    [GeneratedRegex(@"^CREATE\s+ROLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>" + Name + @")", RegexOptions.IgnoreCase)]
    private static partial Regex CreateRole();

    [GeneratedRegex(@"^GRANT\s.*?\sTO\s+(?<account>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex GrantTo();

    [GeneratedRegex(@"^SET\s+DEFAULT\s+ROLE\s+.*?\sFOR\s+(?<account>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DefaultRoleFor();

    [GeneratedRegex(@"^ALTER\s+USER\s+(?<account>\S.*)\s+DEFAULT\s+ROLE\s", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AlterUser();

    [GeneratedRegex(@"^(SET\s+ROLE|DROP\s+ROLE)\s+" + ImportRole + "$", RegexOptions.IgnoreCase)]
    private static partial Regex ImportRoleLife();

    // What mysqldump wraps the accounts in: session settings, its import role's life, role switches.
    [GeneratedRegex(@"^(SET\s+(@|NAMES\b|TIME_ZONE\b|SQL_MODE\b|SQL_NOTES\b|UNIQUE_CHECKS\b|FOREIGN_KEY_CHECKS\b|CHARACTER_SET_|COLLATION_|ROLE\s+NONE$|SESSION\s+print_identified_with_as_hex)|SELECT\s+COALESCE\(CURRENT_ROLE\(\),'NONE'\)\s+into\s+@current_role$|EXECUTE\s+IMMEDIATE\s+CONCAT\('SET ROLE ',\s*@current_role\)$)",
        RegexOptions.IgnoreCase)]
    private static partial Regex Bookkeeping();
}
