using Backup.Core.Sources.PostgreSql;
using Backup.Tests.Support;

namespace Backup.Tests.PostgreSql;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlProgramsSpecs
{
    [Fact]
    public void The_clients_are_pg_dump_on_PATH_and_its_siblings()
    {
        using var temp = new TempDir("pgprograms");
        var first = temp.CreateDirectory("first");
        var second = temp.CreateDirectory("second");
        foreach (var name in new[] { "pg_dump", "pg_restore" })
            temp.WriteExecutable($"first/{name}", "#!/bin/sh\n");
        foreach (var name in new[] { "pg_dump", "pg_dumpall", "pg_restore", "psql" })
            temp.WriteExecutable($"second/{name}", "#!/bin/sh\n");

        var programs = PostgreSqlPrograms.Find($"{first}:{second}", temp.Combine("no-debian"));

        // pg_dumpall and psql are not beside the first pg_dump: PATH gives them.
        Assert.Equal(new PostgreSqlPrograms($"{first}/pg_dump", $"{second}/pg_dumpall", $"{first}/pg_restore", $"{second}/psql"), programs);
    }

    [Fact]
    public void Without_pg_dump_on_PATH_the_newest_Debian_version_is_taken_else_the_bare_names()
    {
        using var temp = new TempDir("pgprograms");
        foreach (var version in new[] { "9.6", "13", "16", "17" })
            temp.CreateDirectory($"lib/{version}/bin");
        foreach (var version in new[] { "9.6", "13", "16" })
            temp.WriteExecutable($"lib/{version}/bin/pg_dump", "#!/bin/sh\n");

        Assert.Equal(PostgreSqlPrograms.In(temp.Combine("lib/16/bin")), PostgreSqlPrograms.Find(temp.Combine("empty"), temp.Combine("lib")));
        Assert.Equal(new PostgreSqlPrograms("pg_dump", "pg_dumpall", "pg_restore", "psql"),
            PostgreSqlPrograms.Find(temp.Combine("empty"), temp.Combine("no-debian")));
    }
}
