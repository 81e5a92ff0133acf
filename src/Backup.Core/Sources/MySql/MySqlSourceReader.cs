using Backup.Core.Configuration.Loading;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Sources.MySql;

/// <summary><c>sources.mysqldump.NAME</c>, with the seed's keys and defaults (<see cref="MySqlKind.Read"/>).</summary>
internal static class MySqlSourceReader
{
    public static MySqlSourceConfig Read(string name, MappingReader map)
    {
        var all = map.Bool("all_databases_except_system") ?? false;
        var databases = map.UniqueStringList("databases") ?? [];
        if (!all && databases.Count == 0 && !map.Failed("databases") && !map.Failed("all_databases_except_system"))
        {
            map.Errors.Add(map.PathOf("databases"), map.Line,
                "nothing to dump: list the databases under `databases`, or set `all_databases_except_system: true`");
        }

        var excluded = map.StringList("exclude_databases") ?? MySqlSourceConfig.DefaultExcludedDatabases;
        var port = map.Int("port", 1, 65535);
        var parallel = map.Int("parallel", 1, int.MaxValue);
        var extraArgs = map.StringList("extra_args") ?? [];
        ReportExtraArgProblems(map, extraArgs);
        var password = FileValues.ReadSecret(map, "password");
        var users = map.Bool("users") ?? false;
        var host = map.String("host");
        var user = map.String("user");

        return new MySqlSourceConfig
        {
            Name = name,
            // The seed ignores `databases` when dumping everything; keeping it empty stops any later misuse.
            Databases = all ? [] : databases,
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

    /// <summary>The same check as run's preflight, here so that validate reports it with the line of each element.</summary>
    private static void ReportExtraArgProblems(MappingReader map, IReadOnlyList<string> extraArgs)
    {
        var items = (map.Find("extra_args") as YamlSequenceNode)?.Children;
        foreach (var problem in MySqlDumpArguments.Check(extraArgs))
        {
            var line = items is not null && problem.Index < items.Count ? YamlNodes.LineOf(items[problem.Index]) : map.LineOf("extra_args");
            map.Errors.Add($"{map.PathOf("extra_args")}[{problem.Index}]", line, problem.Message);
        }
    }
}
