namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>A server account (<c>'user'@'host'</c>), or a MariaDB role (a name without a host).</summary>
public sealed record Account(string User, string? Host)
{
    public bool IsRole => Host is null;

    /// <summary>How GRANT and CREATE USER write it: <c>'app'@'%'</c>, <c>role 'reader'</c>.</summary>
    public override string ToString() => IsRole ? $"role {Quote(User)}" : $"{Quote(User)}@{Quote(Host!)}";

    /// <summary>The account as SQL: <c>'app'@'%'</c> or <c>'reader'</c>.</summary>
    public string Sql => IsRole ? Quote(User) : $"{Quote(User)}@{Quote(Host!)}";

    /// <summary>An account as mysql.user lists it: MariaDB's roles have an empty host.</summary>
    public static Account FromUserTable(string user, string host) => new(user, host.Length == 0 ? null : host);

    private static string Quote(string name) => "'" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
