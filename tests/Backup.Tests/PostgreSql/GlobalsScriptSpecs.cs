using Backup.Core;
using Backup.Core.Sources.PostgreSql.Globals;

namespace Backup.Tests.PostgreSql;

/// <summary>The globals restore reads only what pg_dumpall writes, and creates what the server lacks without touching what it has.</summary>
public sealed class GlobalsScriptSpecs
{
    // As pg_dumpall 15.18 writes it, plus a quoted name, a comment over two lines and a tablespace.
    private const string Globals = """"
        --
        -- PostgreSQL database cluster dump
        --

        \restrict 1s4dvhCrpkx4GNCQSaV2Kw26pJK

        SET default_transaction_read_only = off;

        SET client_encoding = 'UTF8';
        SET standard_conforming_strings = on;

        --
        -- Roles
        --

        CREATE ROLE app_owner;
        ALTER ROLE app_owner WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
        CREATE ROLE "Odd ""one""";
        ALTER ROLE "Odd ""one""" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:abc=$def:ghi=';
        COMMENT ON ROLE "Odd ""one""" IS 'two
        lines; with a semicolon';
        CREATE ROLE postgres;
        ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:x';

        --
        -- User Configurations
        --

        --
        -- User Config "Odd ""one"""
        --

        ALTER ROLE "Odd ""one""" SET search_path TO 'shop', 'public';

        --
        -- Role memberships
        --

        GRANT app_owner TO "Odd ""one""" GRANTED BY postgres;
        GRANT app_owner TO postgres GRANTED BY postgres;

        --
        -- Tablespaces
        --

        CREATE TABLESPACE fast OWNER postgres LOCATION '/srv/fast';
        GRANT CREATE ON TABLESPACE fast TO app_owner;

        \unrestrict 1s4dvhCrpkx4GNCQSaV2Kw26pJK

        --
        -- PostgreSQL database cluster dump complete
        --

        """";

    [Fact]
    public void Every_statement_is_read_with_what_it_is_about()
    {
        var script = GlobalsScript.Parse(Globals);

        Assert.Equal(["app_owner", "Odd \"one\"", "postgres"], script.Roles);
        Assert.Equal(["fast"], script.Tablespaces);
        var comment = Assert.Single(script.Statements, s => s.Text.StartsWith("COMMENT", StringComparison.Ordinal));
        Assert.Equal((GlobalsStatementKind.Role, "Odd \"one\""), (comment.Kind, comment.Subject));
        Assert.EndsWith("with a semicolon';", comment.Text);
        Assert.Equal(3, script.Statements.Count(s => s.Kind == GlobalsStatementKind.Session));
    }

    [Fact]
    public void What_the_server_lacks_is_created_and_what_it_has_is_left_alone()
    {
        var plan = GlobalsPlan.Of(GlobalsScript.Parse(Globals), ["postgres", "app_owner"], ["pg_default", "pg_global"]);

        Assert.Equal(["Odd \"one\""], plan.CreateRoles);
        Assert.Equal(["app_owner", "postgres"], plan.ExistingRoles);
        Assert.Equal(["fast"], plan.CreateTablespaces);
        Assert.Equal(
            "SET default_transaction_read_only = off;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n" +
            "CREATE ROLE \"Odd \"\"one\"\"\";\n" +
            "ALTER ROLE \"Odd \"\"one\"\"\" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:abc=$def:ghi=';\n" +
            "COMMENT ON ROLE \"Odd \"\"one\"\"\" IS 'two\nlines; with a semicolon';\n" +
            "ALTER ROLE \"Odd \"\"one\"\"\" SET search_path TO 'shop', 'public';\n" +
            "GRANT app_owner TO \"Odd \"\"one\"\"\" GRANTED BY postgres;\n",
            plan.RolesScript);
        Assert.Equal(2, plan.TablespacesScript.Count);
        Assert.All(plan.TablespacesScript, s => Assert.StartsWith("SET default_transaction_read_only = off;", s));
        Assert.Equal(
            "would create roles: Odd \"one\"; roles the server has (left as they are): app_owner, postgres; " +
            "would create tablespaces: fast (their directories must exist on the server)",
            plan.Describe(applied: false));
    }

    [Fact]
    public void On_a_server_that_has_everything_nothing_is_run()
    {
        var plan = GlobalsPlan.Of(GlobalsScript.Parse(Globals), ["postgres", "app_owner", "Odd \"one\""], ["fast"]);

        Assert.True(plan.IsEmpty);
        Assert.Equal("", plan.RolesScript);
        Assert.Empty(plan.TablespacesScript);
        Assert.StartsWith("no role to create; ", plan.Describe(applied: false));
    }

    [Theory]
    [InlineData("DROP ROLE postgres;", 1)]
    [InlineData("SET client_encoding = 'UTF8';\nCREATE TABLE t (id int);", 2)]
    [InlineData("CREATE ROLE a; DROP ROLE b;", 1)]
    [InlineData("\\! rm -rf /", 1)]
    [InlineData("\\connect other", 1)]
    [InlineData("ALTER ROLE a WITH PASSWORD 'SCRAM-SHA-256$unterminated", 1)]
    public void Anything_pg_dumpall_does_not_write_refuses_the_artifact_naming_the_line_not_the_text(string text, int line)
    {
        var e = Assert.Throws<BackupException>(() => GlobalsScript.Parse(text));

        Assert.Contains($"line {line}", e.Message);
        Assert.DoesNotContain("SCRAM", e.Message);
        Assert.DoesNotContain("rm -rf", e.Message);
    }
}
