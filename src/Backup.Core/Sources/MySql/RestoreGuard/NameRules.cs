using System.Collections.Frozen;

namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// Finds names qualified with a database other than the target, within one statement:
/// <c>db.table</c> where a table is named (after FROM, JOIN, INTO, UPDATE, TABLE, REFERENCES, ...,
/// and the commas of such a list), <c>db.table.column</c> anywhere, <c>db.routine(</c> anywhere.
/// A two-part name elsewhere is <c>table.column</c> and is left alone, and so is
/// <c>information_schema</c>, which nobody can write to.
/// </summary>
internal sealed class NameRules(string target)
{
    private enum Mode
    {
        None,

        /// <summary>The next name is a table (or view, routine, sequence...).</summary>
        Expect,

        /// <summary>After a table name: a comma names another one.</summary>
        InList,

        /// <summary>After a join's ON/USING: a comma or JOIN names another table.</summary>
        JoinCondition,
    }

    private sealed class Frame
    {
        public Mode Mode;
        public string? Introducer;
    }

    private static readonly HashSet<string> Introducers = new(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "JOIN", "STRAIGHT_JOIN", "INTO", "TABLE", "TABLES", "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION",
        "EVENT", "SEQUENCE", "PACKAGE", "REFERENCES", "TRUNCATE", "HANDLER",
    };

    // Statement heads that name a table only at the start of a statement: INSERT(), REPLACE() and
    // the rest are also functions or words elsewhere.
    private static readonly HashSet<string> StatementIntroducers = new(StringComparer.OrdinalIgnoreCase)
        { "INSERT", "REPLACE", "UPDATE", "DELETE" };

    // Words that may come between an introducer and its name.
    private static readonly HashSet<string> Modifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "IF", "NOT", "EXISTS", "TEMPORARY", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO", "QUICK",
        "ONLY", "LATERAL", "AS", "TO", "OR", "NATURAL", "LEFT", "RIGHT", "INNER", "OUTER", "CROSS", "FULL", "BODY",
    };

    private static readonly HashSet<string> Terminators = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "SET", "VALUES", "VALUE", "SELECT", "GROUP", "ORDER", "HAVING", "LIMIT", "WINDOW", "UNION", "EXCEPT",
        "INTERSECT", "RETURNING", "BEGIN", "DO", "RETURNS", "WHEN", "THEN", "ELSE", "END", "CASE", "COLUMN", "INDEX",
        "KEY", "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "DEFAULT", "WITH",
    };

    // Every word Track looks at: any other word is just a name, whatever the mode.
    private static readonly FrozenSet<string> Relevant =
        Introducers.Concat(StatementIntroducers).Concat(Modifiers).Concat(Terminators)
            .Concat(["RENAME", "INDEX", "TO", "FOR", "LIKE", "ON", "USING"])
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> SequenceFunctions = new(StringComparer.OrdinalIgnoreCase)
        { "NEXTVAL", "LASTVAL", "SETVAL" };

    // Frames are reused: an INSERT opens one per row.
    private readonly List<Frame> _frames = [new Frame()];
    private int _depth;
    private readonly List<SqlToken> _chain = [];
    private bool _chainOpen;
    private bool _dotPending;
    private bool _chainIsTable;
    private bool _sawRename;
    private bool _sawIndex;
    private SqlToken _prev;
    private SqlToken _prev2;

    /// <summary>A qualified name naming another database: its first part and the whole name ("`other`.`t`").</summary>
    public sealed record Qualified(SqlToken Qualifier, string Name);

    /// <summary>The first such name found in the statement (a class, so that the check per token is a null test).</summary>
    public Qualified? Found { get; private set; }

    public void StartStatement()
    {
        _depth = 0;
        _frames[0].Mode = Mode.None;
        _frames[0].Introducer = null;
        _chain.Clear();
        _chainOpen = _dotPending = _chainIsTable = _sawRename = _sawIndex = false;
        _prev = _prev2 = default;
    }

    /// <summary>Ends the statement: a name still open is judged as the last one.</summary>
    public void EndStatement()
    {
        if (_chain.Count > 0)
            FinishChain(default);
    }

    public void Token(in SqlToken t, bool statementStart)
    {
        if (Found is not null)
            return;
        if (_dotPending)
        {
            _dotPending = false;
            if (t.IsName || t.Kind == SqlTokenKind.Number || t.IsPunct('*'))
            {
                _chain.Add(t);
                _chainOpen = t.IsName;
                Remember(t);
                return;
            }
        }

        if (_chainOpen && t.IsPunct('.'))
        {
            _dotPending = true;
            _chainOpen = false;
            Remember(t);
            return;
        }

        if (_chain.Count > 0)
            FinishChain(t);

        var frame = _frames[_depth];
        var startsName = t.IsName && Track(t, frame, statementStart);
        if (startsName)
        {
            _chainIsTable = frame.Mode == Mode.Expect;
            if (_chainIsTable)
                frame.Mode = Mode.InList;
            _chain.Add(t);
            _chainOpen = true;
        }

        Remember(t);
    }

    /// <summary>Follows where tables are named; returns whether <paramref name="t"/> may start a name.</summary>
    private bool Track(in SqlToken t, Frame frame, bool statementStart)
    {
        if (t.Kind != SqlTokenKind.Word || !Relevant.Contains(t.Text))
            return true;

        var word = t.Text;
        if (word.Equals("RENAME", StringComparison.OrdinalIgnoreCase))
            _sawRename = true;
        if (word.Equals("INDEX", StringComparison.OrdinalIgnoreCase))
            _sawIndex = true;

        if (Introducers.Contains(word) || (statementStart && StatementIntroducers.Contains(word))
            || word.Equals("RENAME", StringComparison.OrdinalIgnoreCase)
            || (word.Equals("TO", StringComparison.OrdinalIgnoreCase) && _sawRename)
            || (word.Equals("FOR", StringComparison.OrdinalIgnoreCase) && _prev.Is("VALUE"))
            || (word.Equals("LIKE", StringComparison.OrdinalIgnoreCase) && frame.Mode == Mode.InList && frame.Introducer is "TABLE"))
        {
            if (!(frame.Mode == Mode.Expect && Modifiers.Contains(word)))
                frame.Introducer = word.ToUpperInvariant();
            frame.Mode = Mode.Expect;
            return false;
        }

        if (word.Equals("ON", StringComparison.OrdinalIgnoreCase))
        {
            // A trigger's table (BEFORE INSERT ON t) and an index's (CREATE INDEX i ON t); else a join condition.
            if (_prev.Is("INSERT") || _prev.Is("UPDATE") || _prev.Is("DELETE") || (_sawIndex && frame.Introducer is not ("FROM" or "JOIN")))
            {
                frame.Mode = Mode.Expect;
                frame.Introducer = "ON";
            }
            else
            {
                frame.Mode = frame.Introducer is "FROM" or "JOIN" ? Mode.JoinCondition : Mode.None;
            }

            return false;
        }

        if (word.Equals("USING", StringComparison.OrdinalIgnoreCase) && frame.Introducer is "FROM" or "JOIN")
        {
            frame.Mode = Mode.JoinCondition;
            return false;
        }

        if (frame.Mode == Mode.Expect && Modifiers.Contains(word))
            return false;
        if (Terminators.Contains(word))
        {
            frame.Mode = Mode.None;
            return false;
        }

        return true;
    }

    private void Remember(in SqlToken t)
    {
        if (t.IsPunct('('))
        {
            var outer = _frames[_depth];
            var opens = outer.Mode == Mode.Expect
                        || (_prev.Kind == SqlTokenKind.Word && SequenceFunctions.Contains(_prev.Text))
                        || _prev.Is("UNION") || (_prev.IsPunct('=') && _prev2.Is("UNION"));
            if (outer.Mode == Mode.Expect)
                outer.Mode = Mode.InList;
            if (++_depth == _frames.Count)
                _frames.Add(new Frame());
            _frames[_depth].Mode = opens ? Mode.Expect : Mode.None;
            _frames[_depth].Introducer = opens ? outer.Introducer ?? "FROM" : null;
        }
        else if (t.IsPunct(')'))
        {
            if (_depth > 0)
                _depth--;
        }
        else if (t.IsPunct(','))
        {
            var frame = _frames[_depth];
            if (frame.Mode is Mode.InList or Mode.JoinCondition)
                frame.Mode = Mode.Expect;
        }

        _prev2 = _prev;
        _prev = t;
    }

    private void FinishChain(in SqlToken next)
    {
        var parts = _chain.Count;
        var qualifier = _chain[0];
        var qualified = parts >= 3 || (parts == 2 && (_chainIsTable || next.IsPunct('(')));
        if (qualified && qualifier.IsName && !string.Equals(qualifier.Text, target, StringComparison.Ordinal)
            && !qualifier.Text.Equals("information_schema", StringComparison.OrdinalIgnoreCase))
            Found = new Qualified(qualifier, string.Join(".", _chain.Select(p => p.Kind == SqlTokenKind.Number ? "…" : p.Display)));
        _chain.Clear();
        _chainOpen = _dotPending = false;
    }
}
