using Backup.Core;
using Backup.Core.Sources.MySql.Accounts;

namespace Backup.Tests.MySql;

/// <summary>The accounts artifact is read statement by statement, each sorted by the account it is about.</summary>
public sealed class AccountsScriptSpecs
{
    // mariadb-dump 10.11 --system=users, trimmed to one of each kind of line.
    private const string MariaDbDump = """
        /*M!999999\- enable the sandbox mode */ 
        -- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
        /*!40101 SET NAMES utf8mb4 */;
        /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
        CREATE USER `mariadb.sys`@`localhost` ACCOUNT LOCK PASSWORD EXPIRE;
        CREATE USER `root`@`localhost`;
        CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*D7E61755B1A257831188E1E8F68645D4EFA8BB45';
        CREATE USER `o'brien`@`10.0.0.%` IDENTIFIED BY PASSWORD '*B69027D44F6E5EDC07F1AEAD1477967B16F28227' WITH MAX_QUERIES_PER_HOUR 10;
        SELECT COALESCE(CURRENT_ROLE(),'NONE') into @current_role;
        CREATE ROLE IF NOT EXISTS mariadb_dump_import_role;
        GRANT mariadb_dump_import_role TO CURRENT_USER();
        SET ROLE mariadb_dump_import_role;
        /*!80001 CREATE ROLE 'reader' */;
        /*M!100005 CREATE ROLE 'reader' WITH ADMIN mariadb_dump_import_role */;
        /*M!100005 GRANT 'reader' TO 'root'@'localhost' WITH ADMIN OPTION */;
        GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION;
        GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION;
        GRANT `reader` TO `app`@`%`;
        GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`;
        /*M!100005 SET DEFAULT ROLE 'reader' FOR 'app'@'%' */;
        /*!80001 ALTER USER 'app'@'%' DEFAULT ROLE 'reader' */;
        GRANT SELECT ON `shop`.`customers` TO `o'brien`@`10.0.0.%`;
        GRANT SELECT ON `shop`.* TO `reader`;
        SET ROLE NONE;
        DROP ROLE mariadb_dump_import_role;
        /*M!100203 EXECUTE IMMEDIATE CONCAT('SET ROLE ', @current_role) */;
        /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;

        -- Dump completed on 2026-12-01 11:29:08
        """;

    [Fact]
    public void A_MariaDB_system_users_dump_is_sorted_by_account()
    {
        var statements = AccountsScript.Parse(MariaDbDump);

        Assert.Equal(
            ["'mariadb.sys'@'localhost'", "'root'@'localhost'", "'app'@'%'", "'o''brien'@'10.0.0.%'", "role 'reader'"],
            statements.Where(s => s.Creates).Select(s => s.Subject!.ToString()).Distinct());
        Assert.Equal(5, statements.Count(s => new Account("app", "%").Equals(s.Subject)));
        Assert.Equal(3, statements.Count(s => new Account("reader", null).Equals(s.Subject)));
        Assert.All(statements.Where(s => s.Text.Contains("mariadb_dump_import_role", StringComparison.Ordinal) && !s.Text.Contains("'reader'", StringComparison.Ordinal)),
            s => Assert.Null(s.Subject));
        Assert.Equal(new Account("root", "localhost"), statements.Single(s => s.Text.Contains("GRANT 'reader' TO 'root'", StringComparison.Ordinal)).Subject);
    }

    [Fact]
    public void The_tool_s_own_script_of_a_MySQL_server_is_read_the_same_way()
    {
        var statements = AccountsScript.Parse("""
            -- Accounts and grants of db1:3306 as 'backup', by SHOW CREATE USER and SHOW GRANTS
            CREATE USER IF NOT EXISTS `app`@`%` IDENTIFIED WITH 'caching_sha2_password' AS 0x24412430303524 REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK DEFAULT ROLE `reader`@`%`;
            GRANT USAGE ON *.* TO `app`@`%`;
            GRANT `reader`@`%` TO `app`@`%`;
            CREATE USER IF NOT EXISTS `reader`@`%` IDENTIFIED WITH 'caching_sha2_password' REQUIRE NONE PASSWORD EXPIRE ACCOUNT LOCK;
            GRANT SELECT ON `shop`.* TO `reader`@`%`;
            -- Dump completed on 2026-12-01 11:29:08
            """);

        Assert.Equal(["'app'@'%'", "'reader'@'%'"], statements.Where(s => s.Creates).Select(s => s.Subject!.ToString()));
        Assert.Equal(3, statements.Count(s => new Account("app", "%").Equals(s.Subject)));
    }

    [Theory]
    [InlineData("DROP DATABASE shop;", "no statement about accounts")]
    [InlineData("CREATE USER `x`@`%`; DROP DATABASE shop;", "2 statements")]
    [InlineData("GRANT ALL ON *.* TO `x`@`%`; SET GLOBAL read_only = 1;", "2 statements")]
    [InlineData("CREATE USER `x`@`%`", "ends in the middle of a statement")]
    public void Anything_but_one_account_statement_per_line_is_refused(string script, string reason)
    {
        var e = Assert.Throws<BackupException>(() => AccountsScript.Parse(script));

        Assert.Contains(reason, e.Message);
    }
}
