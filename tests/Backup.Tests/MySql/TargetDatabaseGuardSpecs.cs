using System.Text;
using Backup.Core.Sources.MySql.RestoreGuard;

namespace Backup.Tests.MySql;

/// <summary>
/// A database restore passes on only what stays in its database: a statement that would leave it is
/// refused before its end reaches the client, the client is killed first, and the bytes handed over
/// never hold the statement's delimiter. Every dump is read in chunks of several sizes, since a
/// statement, string or comment may be cut anywhere.
/// </summary>
public sealed class TargetDatabaseGuardSpecs
{
    private const string Target = "shop_copy";

    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 16, 1 << 16];

    public static TheoryData<string, string> Refused => new()
    {
        // Another database as the session's, or created or dropped.
        { "INSERT INTO t VALUES (1);\nUSE other_db;\nINSERT INTO t VALUES (2);\n", "USE other_db" },
        { "USE `other_db`;", "USE `other_db`" },
        { "use other_db;", "USE other_db" },
        { "/*!40101 USE other_db */;", "USE other_db" },
        { "/*!USE other_db*/;", "USE other_db" },
        { "DELIMITER ;;\nSELECT 1; USE other_db;;\n", "USE other_db" },
        { "CREATE DATABASE other_db;", "CREATE DATABASE" },
        { "CREATE DATABASE IF NOT EXISTS `x`;", "CREATE DATABASE" },
        { "CREATE SCHEMA x;", "CREATE SCHEMA" },
        { "CREATE OR REPLACE DATABASE x;", "CREATE DATABASE" },
        { "/*!40000 DROP DATABASE IF EXISTS `other_db`*/;", "DROP DATABASE" },
        { "drop schema other_db;", "DROP SCHEMA" },
        { "ALTER DATABASE `shop` CHARACTER SET latin1;", "ALTER DATABASE `shop`" },
        { "CONNECT other_db;", "CONNECT" },
        // Names qualified with another database.
        { "INSERT INTO other_db.t VALUES (1);", "other_db.t names database 'other_db'" },
        { "INSERT INTO `other_db`.`t` VALUES (1);", "`other_db`.`t` names database 'other_db'" },
        { "INSERT INTO `other_db` . `t` VALUES (1);", "names database 'other_db'" },
        { "INSERT other_db.t VALUES (1);", "names database 'other_db'" },
        { "REPLACE INTO other_db.t VALUES (1);", "names database 'other_db'" },
        { "INSERT IGNORE INTO other_db.t VALUES (1);", "names database 'other_db'" },
        { "UPDATE other_db.t SET a = 1;", "names database 'other_db'" },
        { "UPDATE t, other_db.u SET t.a = 1;", "names database 'other_db'" },
        { "DELETE FROM other_db.t;", "names database 'other_db'" },
        { "DELETE t FROM t JOIN other_db.u ON t.a = u.a;", "names database 'other_db'" },
        { "TRUNCATE TABLE other_db.t;", "names database 'other_db'" },
        { "TRUNCATE other_db.t;", "names database 'other_db'" },
        { "DROP TABLE IF EXISTS a, other_db.b;", "names database 'other_db'" },
        { "CREATE TABLE other_db.t (a INT);", "names database 'other_db'" },
        { "CREATE TABLE t LIKE other_db.t;", "names database 'other_db'" },
        { "CREATE TABLE t AS SELECT * FROM other_db.t;", "names database 'other_db'" },
        { "CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES other_db.p (id));", "names database 'other_db'" },
        { "ALTER TABLE t RENAME TO other_db.t;", "names database 'other_db'" },
        { "RENAME TABLE a TO b, c TO other_db.d;", "names database 'other_db'" },
        { "LOCK TABLES a WRITE, other_db.b WRITE;", "names database 'other_db'" },
        { "SELECT * FROM t JOIN u ON t.a = u.a, other_db.v;", "names database 'other_db'" },
        { "SELECT * FROM (SELECT 1) d, other_db.t;", "names database 'other_db'" },
        { "SELECT * FROM (other_db.t);", "names database 'other_db'" },
        { "INSERT INTO t SELECT * FROM other_db.secrets;", "names database 'other_db'" },
        { "SELECT other_db.t.a FROM t;", "names database 'other_db'" },
        { "SELECT other_db.f(1);", "other_db.f names database 'other_db'" },
        { "DO other_db.f();", "names database 'other_db'" },
        { "INSERT INTO t VALUES (other_db.f());", "names database 'other_db'" },
        { "SELECT NEXTVAL(other_db.s);", "names database 'other_db'" },
        { "SELECT NEXT VALUE FOR other_db.s;", "names database 'other_db'" },
        { "CREATE INDEX i ON other_db.t (a);", "names database 'other_db'" },
        { "/*!50001 CREATE VIEW `v` AS select `a` from `other_db`.`t` */;", "names database 'other_db'" },
        { "DELIMITER ;;\nCREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN INSERT INTO other_db.log VALUES (1); END;;\n", "names database 'other_db'" },
        { "CREATE TRIGGER trg BEFORE INSERT ON other_db.t FOR EACH ROW SET NEW.a = 1;", "names database 'other_db'" },
        { "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN DELETE FROM other_db.t; END;;\n", "names database 'other_db'" },
        { "CREATE PROCEDURE other_db.p() SELECT 1;", "names database 'other_db'" },
        { "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM other_db.t;", "names database 'other_db'" },
        // What acts on the whole server.
        { "GRANT ALL ON *.* TO x;", "GRANT acts on the whole server" },
        { "CREATE USER x;", "CREATE USER acts on the whole server" },
        { "CREATE OR REPLACE USER x;", "CREATE USER" },
        { "DROP USER x;", "DROP USER" },
        { "SET PASSWORD FOR x = 'y';", "SET PASSWORD" },
        { "SET GLOBAL max_connections = 1;", "SET GLOBAL" },
        { "SET @@global.max_connections = 1;", "@@global.max_connections" },
        { "SET sql_notes = 0, GLOBAL max_connections = 1;", "SET GLOBAL" },
        { "FLUSH PRIVILEGES;", "FLUSH acts on the whole server" },
        { "CHANGE MASTER TO MASTER_HOST='h';", "CHANGE MASTER" },
        { "STOP SLAVE;", "STOP SLAVE" },
        { "START REPLICA;", "START REPLICA" },
        { "PURGE BINARY LOGS BEFORE NOW();", "PURGE" },
        { "INSTALL SONAME 'ha_x';", "INSTALL" },
        { "CREATE FUNCTION f RETURNS STRING SONAME 'evil.so';", "SONAME" },
        { "LOAD DATA INFILE '/etc/passwd' INTO TABLE t;", "LOAD" },
        { "LOAD DATA LOCAL INFILE '/home/u/.ssh/id_rsa' INTO TABLE t;", "LOAD" },
        { "SELECT * FROM t INTO OUTFILE '/tmp/x';", "INTO OUTFILE" },
        { "SELECT 1 INTO DUMPFILE '/tmp/x';", "INTO DUMPFILE" },
        { "BINLOG 'AAAA';", "BINLOG" },
        { "KILL 1;", "KILL" },
        { "DELIMITER ;;\nCREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO GRANT ALL ON *.* TO x;;\n", "GRANT" },
        // What runs statements the restore cannot see.
        { "CALL p();", "CALL runs statements" },
        { "PREPARE s FROM 'USE other_db'; EXECUTE s;", "PREPARE" },
        { "EXECUTE IMMEDIATE 'DROP DATABASE x';", "EXECUTE" },
        { "BEGIN NOT ATOMIC SELECT 1; END;", "BEGIN NOT ATOMIC" },
        { "IF 1 THEN SELECT 1; END IF;", "compound statement" },
        { "DELIMITER ;;\nCREATE PROCEDURE p() SELECT 1; CALL evil();;\n", "CALL" },
        { "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END; CALL evil();;\n", "CALL" },
        // Where client and server could read the same bytes differently.
        { "SELECT 'a\\'b';", "sql_mode is not known" },
        { "SELECT \"a\\\"b\";", "sql_mode is not known" },
        { "SET sql_mode = '';\nSET NAMES gbk;\n", "gbk" },
        { "SET sql_mode = '';\nSET character_set_client = sjis;\n", "sjis" },
        { "SET sql_mode = '';\nSET @cs = 'big5';\nSET character_set_client = @cs;\n", "big5" },
        { "SET sql_mode = '';\nSET character_set_client = CONCAT('gb', 'k');\n", "an expression" },
        { "SET sql_mode = '';\n\\C gbk\n", "'\\C'" },
        { "charset gbk\nSELECT 1;\n", "'charset' line" },
        { "--x\nSELECT 1;\n", "without a space" },
        { "SELECT 1 --\u0001 ';\n", "control character" },
        { "SELECT 1;\0 USE other_db;\n", "NUL byte" },
        { "/*!99999 ' */ USE other_db; -- '\n", "'*/' inside a string" },
        { "/*!40101 SELECT 1; */;\n", "inside a /*! */ comment" },
        { "/*!40101 SELECT 1 /* x */ */;\n", "a comment inside a /*! */ comment" },
        { "SELECT 1 delimiter ;\n", "'delimiter' inside a line" },
        { "SELECT 1 AS xdelimiter ;\n", "'delimiter' inside a line" },
        { "DELIMITER 'x'\n", "unusual DELIMITER" },
        { "SET sql_mode = '';\nDELIMITER ;;\nSET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; USE other_db; -- ';;\n", "same query" },
        { "SET sql_mode = '';\nSET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; USE other_db; -- ';\n", "USE other_db" },
        { "/*!99999 SET sql_mode = 'NO_BACKSLASH_ESCAPES' */;\n", "versioned comment" },
        { "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SET sql_mode = 'ANSI_QUOTES'; END;;\n", "stored program's definition" },
        { "SET SESSION sql_mode = '';\nSET @m = @@sql_mode;\nSELECT @m := 'ANSI_QUOTES';\nSET sql_mode = @m;\nSELECT \"a\\\"; USE other_db; -- \";\n", "sql_mode is not known" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_statement_that_leaves_the_database_is_refused_before_its_end_is_passed_on(string dump, string reason)
    {
        foreach (var chunk in ChunkSizes)
        {
            var (passed, aborted, refusal) = Run(dump, chunk);

            Assert.True(refusal is not null, $"chunks of {chunk}: not refused; passed on: {passed}");
            Assert.Contains(reason, refusal!.Message);
            Assert.True(aborted, "the client must be killed before the read throws");
            Assert.True(passed.Length < dump.Length, $"chunks of {chunk}: everything was passed on");
        }
    }

    public static TheoryData<string> Accepted => new()
    {
        "SELECT 'USE other_db; CREATE DATABASE x; DROP DATABASE y';",
        "INSERT INTO t VALUES ('-- not a comment; /* nor this */', 'DELIMITER ;;', '`other_db`.`t`');",
        "INSERT INTO shop_copy.t VALUES (1);",
        "INSERT INTO `shop_copy`.`t` VALUES (1);",
        "SELECT a.b, t.* FROM t a JOIN u ON a.x = u.x WHERE u.y IN (SELECT z FROM w) ORDER BY a.b, u.c;",
        "SELECT * FROM t USE INDEX (i), u IGNORE INDEX (j);",
        "UPDATE t SET t.a = 1, t.b = REPLACE(t.b, 'x', 'y');",
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE();",
        "ALTER DATABASE CHARACTER SET utf8mb4;",
        "ALTER DATABASE `shop_copy` CHARACTER SET utf8mb4;",
        "BEGIN; INSERT INTO t VALUES (1); COMMIT;",
        "START TRANSACTION; INSERT INTO t VALUES (1); COMMIT;",
        "LOCK TABLES `t` WRITE; UNLOCK TABLES;",
        "DO SETVAL(`seq1`, 100, 0);",
        "SET sql_mode = '';\nINSERT INTO t VALUES ('Bob\\'s \\\\ \\'x', 'a\\nb');\n",
        "SET sql_mode = 'NO_BACKSLASH_ESCAPES';\nINSERT INTO t VALUES ('a\\');\n",
        "SET sql_mode = 'ANSI_QUOTES';\nINSERT INTO \"t\" VALUES ('x');\n",
        "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\nSELECT 'a\\'b';\n/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n",
        "/*!40101 SET NAMES utf8mb4 */;\n/*!40101 SET @saved_cs_client = @@character_set_client */;\n/*!40101 SET character_set_client = latin1 */;\n/*!40101 SET character_set_client = @saved_cs_client */;\n",
        "/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump\n/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n",
        "\uFEFFSELECT 1;",
        "DELIMITER ;;\nCREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN c INT)\nBEGIN\n  DECLARE n INT DEFAULT 0;\n  IF c > 1 THEN SET n = 1; ELSE SET n = 2; END IF;\n  CALL q(n);\n  PREPARE s FROM 'SELECT 1'; EXECUTE s; DEALLOCATE PREPARE s;\n  SELECT CASE WHEN n = 1 THEN 'a' ELSE 'b' END;\n  lbl: LOOP LEAVE lbl; END LOOP lbl;\n  WHILE n < 3 DO SET n = n + 1; END WHILE;\nEND ;;\nDELIMITER ;\nSELECT 1;\n",
        "DELIMITER ;;\nCREATE PROCEDURE `h`()\nBEGIN\n  DECLARE done INT DEFAULT 0;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;\n  DECLARE EXIT HANDLER FOR SQLEXCEPTION, SQLSTATE '23000'\n  BEGIN\n    ROLLBACK;\n    RESIGNAL;\n  END;\n  START TRANSACTION;\n  CALL q();\n  COMMIT;\nEND ;;\nDELIMITER ;\n",
        "DELIMITER ;;\nCREATE DEFINER=`root`@`localhost` FUNCTION `f`(c INT) RETURNS decimal(10,2) CHARACTER SET latin1\n    READS SQL DATA\n    DETERMINISTIC\n    COMMENT 'x;y'\nBEGIN\n  RETURN (SELECT COUNT(*) FROM t WHERE a = c);\nEND ;;\nDELIMITER ;\n",
        "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN\n  INSERT INTO audit (msg) VALUES (CONCAT('x ', NEW.id));\n  CALL log_it(NEW.id);\nEND */;;\nDELIMITER ;\n",
        "DELIMITER ;;\n/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY STARTS '2026-01-01 00:00:00' ON COMPLETION NOT PRESERVE ENABLE DO CALL purge_old() */ ;;\nDELIMITER ;\n",
        "/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select `o`.`id` AS `id` from (`orders` `o` join `customers` `c` on(`c`.`id` = `o`.`customer_id`)) where `o`.`total` > 15 */;\n",
        "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `end` date,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 /*!50100 PARTITION BY RANGE (`id`) (PARTITION p0 VALUES LESS THAN (10) ENGINE = InnoDB) */;\n",
        "SELECT 1 -- a comment; USE other_db\n;\n# USE other_db;\n/* USE other_db; */\n--\nSELECT 2;\n",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void What_stays_in_the_database_is_passed_on_unchanged(string dump)
    {
        foreach (var chunk in ChunkSizes)
        {
            var (passed, aborted, refusal) = Run(dump, chunk);

            Assert.True(refusal is null, $"chunks of {chunk}: {refusal?.Message}");
            Assert.False(aborted);
            Assert.Equal(dump, passed);
        }
    }

    [Fact]
    public void A_refusal_names_the_line_and_holds_back_the_statement_s_delimiter()
    {
        const string dump = "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nUSE other_db;\nDROP TABLE t;\n";

        var (passed, _, refusal) = Run(dump, 1);

        Assert.Equal(3, refusal!.Line);
        Assert.StartsWith("line 3 of the dump: USE other_db would switch", refusal.Message);
        Assert.Equal("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nUSE other_db", passed);
    }

    [Fact]
    public void A_failing_input_kills_the_client_before_it_sees_the_end_of_its_input()
    {
        var aborted = false;
        var guard = new TargetDatabaseGuard(new FailingStream("INSERT INTO t VALUES (1"u8.ToArray()), Target, () => aborted = true);

        Assert.Throws<IOException>(() => guard.CopyTo(Stream.Null));

        Assert.True(aborted);
    }

    [Fact]
    public void A_large_dump_is_checked_in_flat_memory()
    {
        var row = "(1,'" + new string('x', 200) + "\\'y',NULL,0x414243),";
        var body = new StringBuilder("SET sql_mode = '';\n");
        for (var i = 0; i < 2000; i++)
            body.Append("INSERT INTO `t` VALUES ").Append(string.Concat(Enumerable.Repeat(row, 100))).Append("(2,'z',NULL,1);\n");
        var dump = body.ToString();

        var (passed, _, refusal) = Run(dump, 1 << 16);

        Assert.Null(refusal);
        Assert.Equal(dump.Length, passed.Length);
    }

    private static (string Passed, bool Aborted, RestoreRefusedException? Refusal) Run(string dump, int chunk)
    {
        var aborted = false;
        var guard = new TargetDatabaseGuard(new TrickleStream(Encoding.UTF8.GetBytes(dump), chunk), Target, () => aborted = true);
        var passed = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = guard.Read(buffer, 0, buffer.Length)) > 0)
                passed.Write(buffer, 0, n);
            return (Encoding.UTF8.GetString(passed.ToArray()), aborted, null);
        }
        catch (RestoreRefusedException e)
        {
            Assert.Same(e, guard.Refusal);
            return (Encoding.UTF8.GetString(passed.ToArray()), aborted, e);
        }
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    /// <summary>Hands out its bytes, then fails as a broken download or decryption does.</summary>
    private sealed class FailingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            return n > 0 ? n : throw new IOException("the download broke");
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            return n > 0 ? n : throw new IOException("the download broke");
        }
    }
}
