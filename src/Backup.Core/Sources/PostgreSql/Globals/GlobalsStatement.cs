namespace Backup.Core.Sources.PostgreSql.Globals;

/// <summary>What a statement of pg_dumpall's globals is about.</summary>
public enum GlobalsStatementKind
{
    /// <summary>A session setting (<c>SET client_encoding = 'UTF8';</c>): kept in front of whatever is applied.</summary>
    Session,

    /// <summary><c>CREATE ROLE x;</c></summary>
    CreateRole,

    /// <summary><c>ALTER ROLE x ...</c>, <c>COMMENT ON ROLE x</c>, <c>SECURITY LABEL ... ON ROLE x</c>: about <see cref="GlobalsStatement.Subject"/>.</summary>
    Role,

    /// <summary><c>GRANT a TO x ...</c>: a membership of <see cref="GlobalsStatement.Subject"/> (the member) in a role.</summary>
    Membership,

    /// <summary><c>CREATE TABLESPACE x ...</c></summary>
    CreateTablespace,

    /// <summary><c>ALTER TABLESPACE x</c>, <c>COMMENT ON TABLESPACE x</c>, <c>GRANT ... ON TABLESPACE x</c>, ...</summary>
    Tablespace,
}

/// <summary>One statement of the globals, the role or tablespace it is about, and the line it starts on.</summary>
public sealed record GlobalsStatement(GlobalsStatementKind Kind, string? Subject, string Text, int Line);
