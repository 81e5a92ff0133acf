using Backup.Core.Configuration.Loading;

namespace Backup.Core.Sources.MySql;

/// <summary><c>sources.mysqldump.NAME</c>, with the seed's keys and defaults (<see cref="MySqlKind.Read"/>).</summary>
internal static class MySqlSourceReader
{
    public static MySqlSourceConfig Read(string name, MappingReader map)
    {
        var (all, databases) = DatabaseSourceKeys.ReadSelection(map);
        var excluded = map.StringList("exclude_databases") ?? MySqlSourceConfig.DefaultExcludedDatabases;
        var port = map.Int("port", 1, 65535);
        var parallel = map.Int("parallel", 1, int.MaxValue);
        var extraArgs = map.StringList("extra_args") ?? [];
        // The same check as the run's preflight.
        DatabaseSourceKeys.ReportElementProblems(map, "extra_args", MySqlDumpArguments.Check(extraArgs).Select(p => (p.Index, p.Message)));
        var password = FileValues.ReadSecret(map, "password");
        var users = map.Bool("users") ?? false;
        var host = map.String("host");
        var user = map.String("user");

        return new MySqlSourceConfig
        {
            Name = name,
            // The seed ignores `databases` when dumping everything.
            Databases = databases,
            AllDatabasesExceptSystem = all,
            ExcludeDatabases = excluded,
            Host = host,
            Port = port,
            User = user,
            Password = password,
            ExtraArgs = extraArgs,
            Users = users,
            Parallel = parallel,
        };
    }
}
