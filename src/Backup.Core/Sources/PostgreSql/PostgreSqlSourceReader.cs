using Backup.Core.Configuration;
using Backup.Core.Configuration.Loading;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Sources.PostgreSql;

/// <summary><c>sources.postgresql.NAME</c> (<see cref="PostgreSqlKind"/>): the connection, the databases, the dump's format and options.</summary>
internal static class PostgreSqlSourceReader
{
    /// <summary>The values of <c>format</c>, as written in the config.</summary>
    public static readonly IReadOnlyList<string> Formats = ["custom", "plain"];

    public static PostgreSqlSourceConfig Read(string name, MappingReader map)
    {
        var (all, databases) = DatabaseSourceKeys.ReadSelection(map);
        var excluded = map.StringList("exclude_databases") ?? PostgreSqlSourceConfig.DefaultExcludedDatabases;
        var host = map.String("host");
        var port = map.Int("port", 1, 65535);
        var user = map.String("user");
        var password = FileValues.ReadSecret(map, "password");
        ReportUnwritablePassword(map, password);
        var sslMode = map.Choice("sslmode", PostgreSqlConnection.SslModes);
        var format = map.Choice("format", Formats) == "plain" ? PgDumpFormat.Plain : PgDumpFormat.Custom;
        var extraArgs = map.StringList("extra_args") ?? [];
        // The same check as the preflight's; a format that is wrong is reported already, the options are then checked as for the default.
        DatabaseSourceKeys.ReportElementProblems(map, "extra_args", PgDumpArguments.Check(extraArgs, format).Select(p => (p.Index, p.Message)));
        var parallel = map.Int("parallel", 1, int.MaxValue);
        var globals = map.Bool("globals") ?? true;
        if (globals)
            ReportGlobalsName(map, databases);

        return new PostgreSqlSourceConfig
        {
            Name = name,
            Databases = databases,
            AllDatabasesExceptSystem = all,
            ExcludeDatabases = excluded,
            Host = host,
            Port = port,
            User = user,
            Password = password,
            SslMode = sslMode,
            Format = format,
            ExtraArgs = extraArgs,
            Parallel = parallel,
            Globals = globals,
        };
    }

    /// <summary>A password libpq cannot read from a password file fails every connection: said now, naming no part of it.</summary>
    private static void ReportUnwritablePassword(MappingReader map, Secret? password)
    {
        if (password is null || PgPassFile.Unwritable(password) is not { } problem)
            return;
        var key = map.Has("password") ? "password" : "password_file";
        map.Errors.Add(map.PathOf(key), map.LineOf(key), "the password " + problem);
    }

    /// <summary>The globals artifact is item <see cref="GlobalsArtifact.ItemName"/>: a database of that name would share its series.</summary>
    private static void ReportGlobalsName(MappingReader map, IReadOnlyList<string> databases)
    {
        var index = databases.ToList().IndexOf(GlobalsArtifact.ItemName);
        if (index < 0 || map.Find("databases") is not YamlSequenceNode sequence)
            return;
        map.Errors.Add($"{map.PathOf("databases")}[{index}]", YamlNodes.LineOf(sequence.Children[index]),
            $"'{GlobalsArtifact.ItemName}' is the item of the globals artifact (`globals: true`); rename the database, or set `globals: false`");
    }
}
