using Backup.Core;
using Backup.Core.Sources.PostgreSql;
using Backup.Core.Sources.PostgreSql.Globals;
using Backup.IntegrationTests.MySql;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>
/// The globals artifact restored onto the server: without --force it only says what it would create;
/// with it the missing role comes back with its password hash, settings, comment and memberships, and
/// the roles the server has are left exactly as they are.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class GlobalsRestoreSpecs(PostgreSqlServer server)
{
    private const string Role = "gl_returning";

    private const string RoleState =
        $"SELECT a.rolcanlogin, a.rolpassword, (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = a.oid AND s.setdatabase = 0), shobj_description(a.oid, 'pg_authid')," +
        $" (SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = a.oid)" +
        $" FROM pg_authid a WHERE a.rolname = ";

    [Fact]
    public async Task A_missing_role_is_named_then_created_as_it_was_and_the_others_are_untouched()
    {
        await server.SqlAsync($"DROP ROLE IF EXISTS {Role}; CREATE ROLE {Role} LOGIN PASSWORD 'returning:pw';" +
                              $"ALTER ROLE {Role} SET work_mem = '8MB'; COMMENT ON ROLE {Role} IS 'comes back ✓';" +
                              $"GRANT {PostgreSqlServer.AppOwner} TO {Role};");
        try
        {
            var globals = await DumpGlobalsAsync();
            var before = await server.SqlAsync(RoleState + $"'{Role}'");
            var others = await server.SqlAsync(RoleState + "'backup' UNION ALL " + RoleState + "'postgres'");
            await server.SqlAsync($"DROP ROLE {Role}");
            var client = server.Client();

            var plan = await GlobalsRestorer.RestoreAsync(client, globals, apply: false, CancellationToken.None);
            Assert.Equal([Role], plan.CreateRoles);
            Assert.Contains("postgres", plan.ExistingRoles);
            Assert.Contains($"would create roles: {Role}", plan.Describe(applied: false));
            Assert.Equal("", await server.SqlAsync(RoleState + $"'{Role}'"));

            await GlobalsRestorer.RestoreAsync(client, globals, apply: true, CancellationToken.None);

            Assert.Equal(before, await server.SqlAsync(RoleState + $"'{Role}'"));
            foreach (var part in new[] { "SCRAM-SHA-256$", "work_mem=8MB", "comes back ✓", PostgreSqlServer.AppOwner })
                Assert.Contains(part, before);
            Assert.Equal(others, await server.SqlAsync(RoleState + "'backup' UNION ALL " + RoleState + "'postgres'"));
            Assert.True((await GlobalsRestorer.RestoreAsync(client, globals, apply: false, CancellationToken.None)).IsEmpty);
        }
        finally
        {
            await server.SqlAsync($"DROP ROLE IF EXISTS {Role}");
        }
    }

    [Fact]
    public async Task A_globals_artifact_cut_short_is_refused_with_nothing_applied()
    {
        await server.SqlAsync($"DROP ROLE IF EXISTS {Role}; CREATE ROLE {Role};");
        try
        {
            var globals = await DumpGlobalsAsync();
            await server.SqlAsync($"DROP ROLE {Role}");
            var cut = globals[..globals.IndexOf("-- PostgreSQL database cluster dump complete", StringComparison.Ordinal)];

            var e = await Assert.ThrowsAsync<BackupException>(() => GlobalsRestorer.RestoreAsync(server.Client(), cut, apply: true, CancellationToken.None));

            Assert.Contains("incomplete; nothing was applied", e.Message);
            Assert.Equal("", await server.SqlAsync(RoleState + $"'{Role}'"));
        }
        finally
        {
            await server.SqlAsync($"DROP ROLE IF EXISTS {Role}");
        }
    }

    private async Task<string> DumpGlobalsAsync()
    {
        var source = new PostgreSqlSource(server.Source(PostgreSqlServer.Side) with { Globals = true }, new RecordingEventLog(), server.Client());
        var globals = (await source.PlanAsync(CancellationToken.None))[^1];
        var output = new MemoryStream();
        await globals.WriteAsync(output, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }
}
