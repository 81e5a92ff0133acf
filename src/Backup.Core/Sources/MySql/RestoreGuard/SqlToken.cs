namespace Backup.Core.Sources.MySql.RestoreGuard;

public enum SqlTokenKind
{
    /// <summary>An unquoted identifier or keyword (<see cref="SqlToken.Upper"/> for keyword tests).</summary>
    Word,

    /// <summary>A `quoted` identifier, or a "double-quoted" one while ANSI_QUOTES is (or may be) on.</summary>
    QuotedName,

    /// <summary>A 'string' (or "string" without ANSI_QUOTES); its value only while the rules ask for values.</summary>
    String,

    Number,

    /// <summary><c>@name</c>, <c>@'name'</c>: a user variable.</summary>
    UserVariable,

    /// <summary><c>@@name</c>, <c>@@session.name</c>, <c>@@global.name</c>: a system variable.</summary>
    SystemVariable,

    /// <summary>One punctuation character, or <c>:=</c>.</summary>
    Punct,
}

/// <summary>
/// One token of the SQL the server will parse. <see cref="Versioned"/> is the version of the
/// <c>/*!NNNNN ... */</c> comment it sits in (-1: none; 0: a version-less <c>/*! */</c>);
/// <see cref="MariaDbOnly"/> marks MariaDB's <c>/*M! */</c>, which MySQL servers skip.
/// </summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Text, long Line, int Versioned, bool MariaDbOnly)
{
    /// <summary>The character of a one-character punctuation token, else '\0' (the commonest test, made cheap).</summary>
    private readonly char _punct = Kind == SqlTokenKind.Punct && Text.Length == 1 ? Text[0] : '\0';

    /// <summary>The text upper-cased (ASCII), for keyword comparisons; words only.</summary>
    public string Upper => Kind == SqlTokenKind.Word ? Text.ToUpperInvariant() : "";

    public bool Is(string keyword) => Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsPunct(char c) => _punct == c;

    /// <summary>A name a database or table can be written as.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;

    /// <summary>"`other`", "'x'", "USE": for messages (never a string's value: it could be data).</summary>
    public string Display => Kind switch
    {
        SqlTokenKind.QuotedName => "`" + Text.Replace("`", "``", StringComparison.Ordinal) + "`",
        SqlTokenKind.String => "a string",
        SqlTokenKind.UserVariable => "@" + Text,
        SqlTokenKind.SystemVariable => "@@" + Text,
        _ => Text,
    };
}
