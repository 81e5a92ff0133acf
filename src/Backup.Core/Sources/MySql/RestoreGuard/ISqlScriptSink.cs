namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// What <see cref="SqlScriptScanner"/> reports, in stream order and before it reads past the bytes
/// reported, so a refusal thrown here stops the stream before the statement's end reaches the client.
/// </summary>
internal interface ISqlScriptSink
{
    /// <summary>Whether "double quotes" delimit names (sql_mode ANSI_QUOTES); null while the sql_mode is not known.</summary>
    bool? AnsiQuotes { get; }

    /// <summary>Whether a backslash in a string is a plain character (NO_BACKSLASH_ESCAPES); null while not known.</summary>
    bool? NoBackslashEscapes { get; }

    /// <summary>Whether string tokens should carry their value (only SET statements need them).</summary>
    bool WantsStringValues { get; }

    void Token(in SqlToken token);

    /// <summary>A <c>;</c> outside strings and comments: where the server ends a statement (it runs several per query).</summary>
    void StatementEnd(long line);

    /// <summary>The client's delimiter: the end of what <c>mysql</c> sends as one query.</summary>
    void QueryEnd(long line);
}
