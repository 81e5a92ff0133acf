using System.Collections.Frozen;

namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// Follows where statements start and which of them belong to the body of a stored program being
/// defined (<c>CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT/PACKAGE</c>): those are stored, not run by
/// the restore. It errs one way only: it may end a body too early (an identifier named <c>end</c>),
/// which makes the rules stricter, never later (the server would then run, as a statement of its
/// own, what the rules took for part of a body). So a compound statement is counted open only where
/// one must start (BEGIN, IF, LOOP, WHILE, REPEAT, FOR at the start of a statement; CASE anywhere, a
/// reserved word) and closed at every END.
/// </summary>
internal sealed class BodyTracker
{
    public enum Routine { None, Procedure, Function, Trigger, Event, Package }

    private enum Construct { Block, If, CaseStatement, CaseExpression, Loop, While }

    private enum Header { Probe, Name, Params, AfterParams, TriggerWaitRow, TriggerAfterRow, OtherTrigger, OtherTriggerDot, EventWaitDo, BodyNext, Body }

    private static readonly HashSet<string> RoutineHeaderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "COMMENT", "LANGUAGE", "SQL", "NOT", "DETERMINISTIC", "CONTAINS", "NO", "READS", "MODIFIES", "DATA", "SECURITY",
        "DEFINER", "INVOKER", "RETURNS", "RETURN", "UNSIGNED", "SIGNED", "ZEROFILL", "CHARSET", "CHARACTER", "COLLATE",
        "BINARY", "ASCII", "UNICODE", "BYTE", "AS", "IS", "PRECISION", "VARYING",
    };

    // Words after CREATE that say what is created when it is no stored program.
    private static readonly HashSet<string> OtherObjects = new(StringComparer.OrdinalIgnoreCase)
    {
        "TABLE", "VIEW", "INDEX", "DATABASE", "SCHEMA", "USER", "ROLE", "SERVER", "TABLESPACE", "SEQUENCE", "TEMPORARY",
        "UNIQUE", "FULLTEXT", "SPATIAL", "LOGFILE", "INSTANCE", "RESOURCE", "UNDO",
    };

    // The words Token acts on outside a header.
    private static readonly FrozenSet<string> BlockWords = new[] { "CASE", "THEN", "ELSE", "DO", "END", "BEGIN", "HANDLER" }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly List<Construct> _open = [];
    private Header _header = Header.Body;
    private int _headerDepth;
    private int _skip;
    private bool _nameSeen;
    private bool _nextStarts;
    private bool _pendingBegin;
    private bool _atomicNext;
    private bool _labelCandidate;
    private bool _declaring;
    private bool _handler;
    private SqlToken _prev;

    /// <summary>The stored program this query is defining, while it is (None at the top level).</summary>
    public Routine Kind { get; private set; }

    /// <summary>Whether the last token is part of that program's body.</summary>
    public bool InBody => Kind != Routine.None && _header == Header.Body;

    /// <summary>Set once a query has begun defining a stored program (until the query ends).</summary>
    public bool QueryDefinesRoutine { get; private set; }

    /// <summary>A compound statement opened outside any stored program (MariaDB runs them at once).</summary>
    public bool TopLevelCompound { get; private set; }

    /// <summary>Reads <paramref name="t"/>; returns whether it starts a statement.</summary>
    public bool Token(in SqlToken t, bool statementStart)
    {
        // Most tokens of a dump (values, punctuation, plain names) change nothing here.
        if (!statementStart && !_nextStarts && !_pendingBegin && !_atomicNext && _header == Header.Body && !t.IsPunct(':')
            && (t.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedName) || (t.Kind == SqlTokenKind.Word && !BlockWords.Contains(t.Text))))
        {
            _labelCandidate = false;
            TopLevelCompound = false;
            _prev = t;
            return false;
        }

        var start = statementStart || _nextStarts;
        _nextStarts = false;
        TopLevelCompound = false;

        if (_pendingBegin)
        {
            _pendingBegin = false;
            if (t.IsPunct(':'))
            {
                _nextStarts = true; // "begin:" is a label
                return Remember(t, false);
            }

            if (t.Is("NOT") && !InBody)
            {
                TopLevelCompound = true;
            }
            else if (InBody && !t.Is("WORK") && !t.IsPunct(';'))
            {
                _open.Add(Construct.Block);
                if (t.Is("NOT"))
                {
                    _atomicNext = true;
                    return Remember(t, false);
                }

                start = true;
            }
        }

        if (_atomicNext)
        {
            _atomicNext = false;
            if (t.Is("ATOMIC"))
            {
                _nextStarts = true;
                return Remember(t, false);
            }
        }

        if (Kind != Routine.None && _header != Header.Body)
        {
            if (InHeader(t))
                return Remember(t, false);
            _header = Header.Body;
            start = true;
        }

        if (_labelCandidate && t.IsPunct(':'))
        {
            _labelCandidate = false;
            _nextStarts = true;
            return Remember(t, false);
        }

        // DECLARE ... HANDLER FOR conditions BEGIN ... END: the handler's block opens a compound statement
        // (not right after FOR or a comma, where "begin" could be a condition's name).
        if (InBody && start && t.Is("DECLARE"))
            _declaring = true;
        else if (_declaring && t.Is("HANDLER"))
            _handler = true;
        else if (_handler && t.Is("BEGIN") && !_prev.Is("FOR") && !_prev.IsPunct(','))
            start = true;

        _labelCandidate = start && t.IsName;
        if (start)
            StatementStart(t);
        else if (t.Is("CASE"))
            _open.Add(Construct.CaseExpression);

        if ((t.Is("THEN") || t.Is("ELSE")) && Top is Construct.If or Construct.CaseStatement)
            _nextStarts = true;
        if (t.Is("DO") && Top is Construct.While)
            _nextStarts = true;
        if (t.Is("END") && _open.Count > 0)
            _open.RemoveAt(_open.Count - 1);
        return Remember(t, start);
    }

    /// <summary>A <c>;</c>: where the program's definition ends when nothing is left open.</summary>
    public void StatementEnd()
    {
        _pendingBegin = _atomicNext = _labelCandidate = _nextStarts = _declaring = _handler = false;
        if (Kind == Routine.None || _header != Header.Body || _open.Count == 0)
        {
            Kind = Routine.None;
            _header = Header.Body;
            _open.Clear();
        }
    }

    public void QueryEnd()
    {
        StatementEnd();
        Kind = Routine.None;
        _header = Header.Body;
        _open.Clear();
        QueryDefinesRoutine = false;
    }

    private Construct? Top => _open.Count == 0 ? null : _open[^1];

    private void StatementStart(in SqlToken t)
    {
        if (t.Is("BEGIN"))
        {
            _pendingBegin = true;
            return;
        }

        if (Kind == Routine.None)
        {
            if (t.Is("CREATE") || t.Is("ALTER"))
                _header = Header.Probe;
            else if (t.Is("IF") || t.Is("CASE") || t.Is("LOOP") || t.Is("WHILE") || t.Is("REPEAT") || t.Is("FOR"))
                TopLevelCompound = true;
            return;
        }

        if (t.Is("IF"))
            _open.Add(Construct.If);
        else if (t.Is("CASE"))
            _open.Add(Construct.CaseStatement);
        else if (t.Is("LOOP") || t.Is("REPEAT"))
        {
            _open.Add(Construct.Loop);
            _nextStarts = true;
        }
        else if (t.Is("WHILE") || t.Is("FOR"))
            _open.Add(Construct.While);
    }

    /// <summary>Whether <paramref name="t"/> still belongs to the program's header (name, parameters, characteristics).</summary>
    private bool InHeader(in SqlToken t)
    {
        switch (_header)
        {
            case Header.Name:
                // [IF NOT EXISTS] name[.name]: one name, then the parameters or the rest of the header.
                if (t.IsPunct('('))
                {
                    _header = Header.Params;
                    _headerDepth = 1;
                    return true;
                }

                if (!_nameSeen && (t.Is("IF") || t.Is("NOT") || t.Is("EXISTS") || t.Is("BODY")))
                    return true;
                if (t.IsName && (!_nameSeen || _prev.IsPunct('.')))
                {
                    _nameSeen = true;
                    return true;
                }

                if (t.IsPunct('.') && _nameSeen)
                    return true;
                _header = Kind switch
                {
                    Routine.Trigger => Header.TriggerWaitRow,
                    Routine.Event => Header.EventWaitDo,
                    _ => Header.AfterParams,
                };
                return _header != Header.AfterParams || InHeader(t);
            case Header.Params:
                if (t.IsPunct('('))
                    _headerDepth++;
                else if (t.IsPunct(')') && --_headerDepth == 0)
                    _header = Header.AfterParams;
                return true;
            case Header.AfterParams:
                if (_headerDepth > 0)
                {
                    if (t.IsPunct('('))
                        _headerDepth++;
                    else if (t.IsPunct(')'))
                        _headerDepth--;
                    return true;
                }

                if (_skip > 0)
                {
                    _skip--; // a type after RETURNS, a character set or collation name
                    return true;
                }

                if (t.IsPunct('('))
                {
                    _headerDepth = 1;
                    return true;
                }

                if (t.Kind == SqlTokenKind.String)
                    return true; // COMMENT 'text'
                if (t.Kind != SqlTokenKind.Word || !RoutineHeaderWords.Contains(t.Text))
                    return false;
                _skip = t.Is("RETURNS") || t.Is("RETURN") || t.Is("CHARSET") || t.Is("COLLATE") ? 1 : t.Is("CHARACTER") ? 2 : 0;
                return true;
            case Header.TriggerWaitRow:
                if (t.Is("ROW") && _prev.Is("EACH"))
                    _header = Header.TriggerAfterRow;
                return true;
            case Header.TriggerAfterRow:
                if (!t.Is("FOLLOWS") && !t.Is("PRECEDES"))
                    return false;
                _header = Header.OtherTrigger;
                return true;
            case Header.OtherTrigger:
                _header = Header.OtherTriggerDot;
                return true;
            case Header.OtherTriggerDot:
                if (!t.IsPunct('.'))
                    return false;
                _header = Header.OtherTrigger;
                return true;
            case Header.EventWaitDo:
                if (t.IsPunct('('))
                    _headerDepth++;
                else if (t.IsPunct(')'))
                    _headerDepth--;
                else if (t.Is("DO") && _headerDepth == 0)
                    _header = Header.BodyNext;
                return true;
            case Header.BodyNext:
                return false;
            case Header.Probe:
            default:
                throw new InvalidOperationException($"header state {_header}");
        }
    }

    private bool Remember(in SqlToken t, bool start)
    {
        if (_header == Header.Probe && !start)
            Probe(t);
        _prev = t;
        return start;
    }

    /// <summary>After CREATE/ALTER: what is being created.</summary>
    private void Probe(in SqlToken t)
    {
        if (t.Kind != SqlTokenKind.Word)
            return;
        var kind = t.Upper switch
        {
            "PROCEDURE" => Routine.Procedure,
            "FUNCTION" => Routine.Function,
            "TRIGGER" => Routine.Trigger,
            "EVENT" => Routine.Event,
            "PACKAGE" => Routine.Package,
            _ => Routine.None,
        };
        if (kind != Routine.None)
        {
            Kind = kind;
            QueryDefinesRoutine = true;
            _header = Header.Name;
            _headerDepth = 0;
            _skip = 0;
            _nameSeen = false;
        }
        else if (OtherObjects.Contains(t.Text))
        {
            _header = Header.Body;
        }
    }
}
