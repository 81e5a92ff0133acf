namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// The rules a SQL dump restored into <c>target</c> must keep, statement by statement, as the scanner
/// reports them (and before the statement's end reaches the client):
/// <list type="bullet">
/// <item>anywhere: no <c>USE</c>, <c>CREATE/DROP DATABASE</c>, <c>ALTER DATABASE</c> of another
/// database, no name qualified with another database (<see cref="NameRules"/>), no <c>SONAME</c>;</item>
/// <item>in what the restore runs (the top level) and in event bodies (the server runs those by
/// itself): nothing that acts on the whole server (GRANT, users, SET GLOBAL, FLUSH, replication,
/// files: LOAD DATA, INTO OUTFILE, ...);</item>
/// <item>at the top level: no CONNECT, and nothing whose statements cannot be seen in the stream
/// (CALL, PREPARE/EXECUTE, compound statements outside a stored program);</item>
/// <item>the sql_mode and character set are followed (<see cref="SessionState"/>) so that the scanner
/// reads strings as the server will; a change that cannot be followed is refused.</item>
/// </list>
/// </summary>
internal sealed class StatementRules(string target) : ISqlScriptSink
{
    private const string NeverInADump =
        "a dump of one database never holds that (the tool's own dumps do not), so this one was made otherwise or altered";

    private const string NamesAnotherDatabase =
        "a view, trigger or routine that names another database cannot be restored into this one safely; " +
        "write the SQL with --to-file and review it";

    // Statements that act on the server rather than on one database.
    private static readonly HashSet<string> ServerStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "GRANT", "REVOKE", "FLUSH", "RESET", "PURGE", "KILL", "SHUTDOWN", "RESTART", "CLONE", "BINLOG", "INSTALL",
        "UNINSTALL", "BACKUP", "IMPORT", "LOAD",
    };

    // START/STOP/CHANGE x, CREATE/DROP/ALTER/RENAME x, LOCK x: server-level when x is one of these.
    private static readonly HashSet<string> ServerObjects = new(StringComparer.OrdinalIgnoreCase)
    {
        "SLAVE", "REPLICA", "SLAVES", "REPLICAS", "GROUP_REPLICATION", "ALL", "MASTER", "REPLICATION", "USER", "ROLE",
        "SERVER", "TABLESPACE", "LOGFILE", "INSTANCE", "RESOURCE", "UNDO",
    };

    private static readonly HashSet<string> PairHeads = new(StringComparer.OrdinalIgnoreCase)
        { "START", "STOP", "CHANGE", "CREATE", "DROP", "ALTER", "RENAME", "LOCK" };

    private static readonly HashSet<string> AlterDatabaseOptions = new(StringComparer.OrdinalIgnoreCase)
        { "CHARACTER", "CHARSET", "DEFAULT", "COLLATE", "COMMENT", "READ", "ENCRYPTION" };

    private readonly SessionState _session = new();
    private readonly BodyTracker _body = new();
    private readonly NameRules _names = new(target);

    private bool _statementStart = true;
    private bool _statementHasTokens;
    private string? _pending;
    private SqlToken _prev;
    private SqlToken _prev2;
    private SqlToken _prev3;

    // A SET statement's tokens, while one is read; whether it may change how the dump is read.
    private List<SqlToken>? _set;
    private bool _setMayChangeReading;
    private bool _setServerLevel;
    private string? _setRefusal;

    // The sql_mode changed in this query: the client split it with the old one.
    private bool _readingChangedInQuery;

    public bool? AnsiQuotes => _session.SqlMode?.AnsiQuotes;

    public bool? NoBackslashEscapes => _session.SqlMode?.NoBackslashEscapes;

    public bool WantsStringValues => _set is not null;

    public void Token(in SqlToken t)
    {
        if (_readingChangedInQuery)
            throw Refuse(t.Line, "a statement after one that changes the sql_mode, in the same query: mysql split the query " +
                                 "reading the old sql_mode, the server reads this statement with the new one");
        var unitStart = _statementStart;
        _statementStart = false;
        _statementHasTokens = true;

        var start = _body.Token(t, unitStart);
        var topLevel = !_body.InBody;
        var serverLevel = topLevel || _body.Kind == BodyTracker.Routine.Event;
        if (_body.TopLevelCompound)
            throw Refuse(t.Line, $"a compound statement ({(t.Is("NOT") ? "BEGIN NOT ATOMIC" : t.Upper)} ...) outside a stored program, which " +
                                 "runs at once statements that cannot all be followed; " + NeverInADump);

        ResolvePending(t, serverLevel);
        if (start)
            StatementStart(t, topLevel, serverLevel);
        Anywhere(t, serverLevel);

        _names.Token(t, start);
        if (_names.Found is { } found)
            throw Refuse(found.Qualifier.Line, $"{found.Name} names database '{found.Qualifier.Text}'; {NamesAnotherDatabase}");

        if (_set is not null && !ReferenceEquals(_set, Unbounded))
        {
            if (_set.Count < 512)
                _set.Add(t);
            else
                _set = Unbounded;
        }

        _prev3 = _prev2;
        _prev2 = _prev;
        _prev = t;
    }

    public void StatementEnd(long line)
    {
        if (!_statementHasTokens)
            return;
        ResolvePending(default, serverLevel: true);
        _names.EndStatement();
        if (_names.Found is { } found)
            throw Refuse(found.Qualifier.Line, $"{found.Name} names database '{found.Qualifier.Text}'; {NamesAnotherDatabase}");
        if (_set is not null)
            EndSet(line);

        _body.StatementEnd();
        _names.StartStatement();
        _statementStart = true;
        _statementHasTokens = false;
        _prev = _prev2 = _prev3 = default;
    }

    public void QueryEnd(long line)
    {
        _body.QueryEnd();
        _readingChangedInQuery = false;
        _statementStart = true;
    }

    private static readonly List<SqlToken> Unbounded = [];

    private void StatementStart(in SqlToken t, bool topLevel, bool serverLevel)
    {
        if (t.Kind != SqlTokenKind.Word)
            return;
        if (topLevel && (t.Is("CALL") || t.Is("PREPARE") || t.Is("EXECUTE")))
            throw Refuse(t.Line, $"{t.Upper} runs statements the restore cannot see ({(t.Is("CALL") ? "a stored routine's" : "SQL built at run time")}); " + NeverInADump);
        if (topLevel && t.Is("CONNECT"))
            throw Refuse(t.Line, "CONNECT would open a session on another database; " + NeverInADump);
        if (serverLevel && ServerStatements.Contains(t.Text))
            throw Refuse(t.Line, $"{t.Upper} acts on the whole server, not on one database; " + NeverInADump);
        if (serverLevel && PairHeads.Contains(t.Text))
            _pending = "pair:" + t.Upper;

        if (t.Is("SET"))
        {
            _set = [];
            _setServerLevel = serverLevel;
            _setRefusal = !topLevel || _body.QueryDefinesRoutine
                ? "a statement that sets the sql_mode or character set inside a stored program's definition, which the " +
                  "restore cannot follow"
                : t.MariaDbOnly || t.Versioned > 50700
                    ? "a statement that sets the sql_mode or character set in a versioned comment only some servers run"
                    : null;
            _setMayChangeReading = _setRefusal is null;
        }
    }

    private void Anywhere(in SqlToken t, bool serverLevel)
    {
        switch (t.Kind)
        {
            case SqlTokenKind.UserVariable:
                // Only a SET the rules evaluate may give a variable a value they trust.
                if (_set is null || !_setMayChangeReading)
                    _session.Taint(t.Text);
                return;
            case SqlTokenKind.SystemVariable when serverLevel && IsGlobal(t.Text):
                _pending = "global:" + t.Text;
                return;
            case not SqlTokenKind.Word:
                return;
        }

        if (t.Is("USE"))
            _pending = "use";
        else if (t.Is("SONAME"))
            throw Refuse(t.Line, "SONAME loads a shared library into the server; " + NeverInADump);
        else if (t.Is("INTO") && serverLevel)
            _pending = "into";
        else if (t.Is("DATABASE") || t.Is("SCHEMA"))
        {
            if (_prev.Is("CREATE") || _prev.Is("DROP") || (_prev.Is("REPLACE") && _prev2.Is("OR") && _prev3.Is("CREATE")))
                throw Refuse(t.Line, $"{(_prev.Is("DROP") ? "DROP" : "CREATE")} {t.Upper} acts on a database other than the one restored into; " + NeverInADump);
            if (_prev.Is("ALTER"))
                _pending = "alter-database";
        }
    }

    /// <summary>Checks that needed the token after a keyword; <paramref name="t"/> is default at a statement's end.</summary>
    private void ResolvePending(in SqlToken t, bool serverLevel)
    {
        var pending = _pending;
        if (pending is null)
            return;
        _pending = null;
        if (pending == "use")
        {
            if (t.Kind == SqlTokenKind.QuotedName || (t.Kind == SqlTokenKind.Word && !t.Is("INDEX") && !t.Is("KEY")))
                throw Refuse(t.Line, $"USE {t.Display} would switch the session to another database; " + NeverInADump);
        }
        else if (pending == "alter-database")
        {
            if (t.Kind == SqlTokenKind.QuotedName || (t.Kind == SqlTokenKind.Word && !AlterDatabaseOptions.Contains(t.Text)))
            {
                if (!string.Equals(t.Text, target, StringComparison.Ordinal))
                    throw Refuse(t.Line, $"ALTER DATABASE {t.Display} would change database '{t.Text}', not '{target}' (mysqldump " +
                                         "writes it when a routine was created while its database had another default collation); " +
                                         $"restore under the name '{t.Text}' on a server without that database, or write the SQL " +
                                         "with --to-file and remove those lines");
            }
        }
        else if (pending == "into")
        {
            if (t.Is("OUTFILE") || t.Is("DUMPFILE"))
                throw Refuse(t.Line, $"INTO {t.Upper} writes a file on the server; " + NeverInADump);
        }
        else if (pending.StartsWith("global:", StringComparison.Ordinal))
        {
            if (t.IsPunct('=') || (t.Kind == SqlTokenKind.Punct && t.Text == ":="))
                throw Refuse(t.Line, $"setting @@{pending[7..]} changes the whole server; " + NeverInADump);
        }
        else if (pending.StartsWith("pair:", StringComparison.Ordinal))
        {
            var head = pending[5..];
            if (head == "CREATE" && (t.Is("OR") || t.Is("REPLACE")))
                _pending = pending; // CREATE OR REPLACE USER
            else if (t.Kind == SqlTokenKind.Word && ServerObjects.Contains(t.Text) && !(head == "START" && t.Is("TRANSACTION")))
                throw Refuse(t.Line, $"{head} {t.Upper} acts on the whole server, not on one database; " + NeverInADump);
        }
    }

    private static bool IsGlobal(string variable) =>
        variable.StartsWith("global.", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("persist.", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("persist_only.", StringComparison.OrdinalIgnoreCase);

    /// <summary>Evaluates a SET statement: each assignment of the sql_mode, the character set or a user variable.</summary>
    private void EndSet(long line)
    {
        var tokens = _set!;
        _set = null;
        var line0 = tokens.Count > 0 ? tokens[0].Line : line;
        if (ReferenceEquals(tokens, Unbounded))
        {
            if (_setMayChangeReading)
                throw Refuse(line, "a SET statement too long to follow");
            return;
        }

        var assignments = Split(tokens.Skip(1).ToList());
        if (assignments.Count > 0 && assignments[0].Count > 0 && assignments[0][0].Is("STATEMENT"))
        {
            // MariaDB's SET STATEMENT var=... FOR statement: the settings only last for that statement.
            if (tokens.Any(IsReadingVariable))
                throw Refuse(line0, "SET STATEMENT with the sql_mode or character set, which the restore cannot follow; " + NeverInADump);
            return;
        }

        var before = _session.SqlMode;
        foreach (var assignment in assignments)
            Assign(assignment, line0);
        if (_session.SqlMode != before)
            _readingChangedInQuery = true;
    }

    private void Assign(List<SqlToken> a, long line)
    {
        if (a.Count == 0)
            return;
        var i = 0;
        if (a[0].Is("GLOBAL") || a[0].Is("PERSIST") || a[0].Is("PERSIST_ONLY"))
        {
            if (_setServerLevel)
                throw Refuse(a[0].Line, $"SET {a[0].Upper} changes the whole server; " + NeverInADump);
            return;
        }

        if (a[0].Is("SESSION") || a[0].Is("LOCAL"))
            i++;
        if (i >= a.Count)
            return;

        var target = a[i];
        if (target.Is("NAMES") || target.Is("CHARSET") || (target.Is("CHARACTER") && i + 1 < a.Count && a[i + 1].Is("SET")))
        {
            var at = target.Is("CHARACTER") ? i + 2 : i + 1;
            CharacterSet(at < a.Count ? [a[at]] : [], line, $"SET {target.Upper}");
            return;
        }

        if (target.Is("PASSWORD") || target.Is("ROLE") || (target.Is("DEFAULT") && i + 1 < a.Count && a[i + 1].Is("ROLE")))
        {
            if (_setServerLevel)
                throw Refuse(target.Line, $"SET {target.Upper} changes accounts of the whole server; " + NeverInADump);
            return;
        }

        var equals = a.FindIndex(i + 1, x => x.IsPunct('=') || (x.Kind == SqlTokenKind.Punct && x.Text == ":="));
        if (equals < 0)
            return;
        var value = a.GetRange(equals + 1, a.Count - equals - 1);
        switch (target.Kind)
        {
            case SqlTokenKind.UserVariable:
                if (_setMayChangeReading)
                    _session.Assign(target.Text, ValueOf(value));
                else
                    _session.Taint(target.Text);
                return;
            case SqlTokenKind.SystemVariable:
                if (IsGlobal(target.Text))
                {
                    if (_setServerLevel)
                        throw Refuse(target.Line, $"setting @@{target.Text} changes the whole server; " + NeverInADump);
                    return;
                }

                SystemVariable(SessionName(target.Text), value, line);
                return;
            case SqlTokenKind.Word:
                SystemVariable(target.Text, value, line);
                return;
        }
    }

    private void SystemVariable(string name, List<SqlToken> value, long line)
    {
        if (name.Equals("character_set_client", StringComparison.OrdinalIgnoreCase))
        {
            CharacterSet(value, line, "SET character_set_client");
            return;
        }

        if (!name.Equals("sql_mode", StringComparison.OrdinalIgnoreCase))
            return;
        if (_setRefusal is not null)
            throw Refuse(line, _setRefusal);
        _session.SetSqlMode(ValueOf(value) switch
        {
            SessionState.Value.Text text => SessionState.Modes.Parse(text.Literal),
            SessionState.Value.SqlMode mode => mode.Flags,
            SessionState.Value.Unknown when value is [{ Kind: SqlTokenKind.SystemVariable } v] && IsSqlModeVariable(v.Text) => _session.SqlMode,
            _ => null,
        });
    }

    private void CharacterSet(List<SqlToken> value, long line, string what)
    {
        if (_setRefusal is not null)
            throw Refuse(line, _setRefusal);
        var safe = ValueOf(value) switch
        {
            SessionState.Value.Text text => SessionState.IsSafe(text.Literal),
            SessionState.Value.CharacterSet set => set.Safe,
            SessionState.Value.Unknown when value is [{ Kind: SqlTokenKind.SystemVariable } v]
                                          && SessionName(v.Text).Equals("character_set_client", StringComparison.OrdinalIgnoreCase) => true,
            _ => false,
        };
        if (!safe)
            throw Refuse(line, $"{what} to {(value.Count == 1 ? value[0].Kind == SqlTokenKind.String ? $"'{value[0].Text}'" : value[0].Display : "an expression")}: " +
                               "a character set the restore cannot follow, or in which a character can hide a quote or " +
                               "backslash from this check (big5, cp932, gbk, gb18030, sjis)");
    }

    /// <summary>The value of an assignment's right-hand side, where it is simple enough to know.</summary>
    private SessionState.Value ValueOf(List<SqlToken> value)
    {
        switch (value)
        {
            case [{ Kind: SqlTokenKind.String or SqlTokenKind.QuotedName } v]:
                return new SessionState.Value.Text(v.Text);
            case [{ Kind: SqlTokenKind.Word } v] when !v.Is("DEFAULT"):
                return new SessionState.Value.Text(v.Text);
            case [{ Kind: SqlTokenKind.Word } introducer, { Kind: SqlTokenKind.String } v] when introducer.Text.StartsWith('_'):
                return new SessionState.Value.Text(v.Text);
            case [{ Kind: SqlTokenKind.UserVariable } v]:
                return _session.Variable(v.Text);
            case [{ Kind: SqlTokenKind.SystemVariable } v] when IsSqlModeVariable(v.Text):
                return new SessionState.Value.SqlMode(_session.SqlMode);
            case [{ Kind: SqlTokenKind.SystemVariable } v] when SessionName(v.Text).Equals("character_set_client", StringComparison.OrdinalIgnoreCase):
                return new SessionState.Value.CharacterSet(true);
            default:
                return new SessionState.Value.Unknown();
        }
    }

    private static bool IsSqlModeVariable(string variable) =>
        SessionName(variable).Equals("sql_mode", StringComparison.OrdinalIgnoreCase);

    private static string SessionName(string variable)
    {
        foreach (var scope in new[] { "session.", "local." })
        {
            if (variable.StartsWith(scope, StringComparison.OrdinalIgnoreCase))
                return variable[scope.Length..];
        }

        return variable;
    }

    private static bool IsReadingVariable(SqlToken t) =>
        (t.Kind == SqlTokenKind.Word && (t.Is("sql_mode") || t.Is("character_set_client") || t.Is("NAMES") || t.Is("CHARSET") || t.Is("CHARACTER")))
        || (t.Kind == SqlTokenKind.SystemVariable && (IsSqlModeVariable(t.Text) || SessionName(t.Text).Equals("character_set_client", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Splits a SET statement's tokens at the commas outside parentheses.</summary>
    private static List<List<SqlToken>> Split(List<SqlToken> tokens)
    {
        var parts = new List<List<SqlToken>> { new() };
        var depth = 0;
        foreach (var t in tokens)
        {
            if (t.IsPunct('('))
                depth++;
            else if (t.IsPunct(')'))
                depth--;
            if (depth == 0 && t.IsPunct(','))
                parts.Add([]);
            else
                parts[^1].Add(t);
        }

        return parts;
    }

    private static RestoreRefusedException Refuse(long line, string reason) => new(line, reason);
}
