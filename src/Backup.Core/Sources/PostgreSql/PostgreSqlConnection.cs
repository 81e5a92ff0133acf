using System.Globalization;
using Backup.Core.Configuration;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// Where and as whom the clients connect: <c>host</c>, <c>port</c>, <c>user</c>, <c>password</c> and
/// <c>sslmode</c> of <c>sources.postgresql.NAME</c>. What is left out is left to libpq's own defaults
/// (the Unix socket, 5432, the OS user, <c>PGHOST</c> and the like); the password never is: it travels
/// only in a private password file (<see cref="PgPassFile"/>).
/// </summary>
public sealed record PostgreSqlConnection
{
    /// <summary>libpq's <c>sslmode</c> values, weakest first.</summary>
    public static readonly IReadOnlyList<string> SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>Seconds libpq waits for the connection (TCP and authentication).</summary>
    public const int ConnectTimeoutSeconds = 10;

    /// <summary>A host name, an IP address, or a socket directory (a path starting with <c>/</c>).</summary>
    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? User { get; init; }

    public Secret? Password { get; init; }

    public string? SslMode { get; init; }

    /// <summary>
    /// The connection string for <paramref name="database"/>, with no secret in it (it is on the
    /// clients' command lines). <paramref name="utf8"/> asks the server for UTF-8 text, which the
    /// queries read; a dump keeps the database's own encoding unless its options say otherwise.
    /// </summary>
    public string ToConnectionString(string database, bool utf8 = false)
    {
        var settings = new List<(string, string)>();
        if (Host is not null)
            settings.Add(("host", Host));
        if (Port is { } port)
            settings.Add(("port", port.ToString(CultureInfo.InvariantCulture)));
        if (User is not null)
            settings.Add(("user", User));
        settings.Add(("dbname", database));
        if (SslMode is not null)
            settings.Add(("sslmode", SslMode));
        settings.Add(("connect_timeout", ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture)));
        settings.Add(("application_name", "backup"));
        if (utf8)
            settings.Add(("client_encoding", "UTF8"));
        return ConnectionString.Render(settings);
    }

    /// <summary>"127.0.0.1:5432 as 'backup'": no secret, for messages.</summary>
    public string Describe() =>
        $"{Host ?? "localhost"}{(Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}" +
        (User is null ? "" : $" as '{User}'");
}
