using Backup.Core.Sources.MySql;
using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.Tests.MySql;

/// <summary>
/// Every spelling mysqldump accepts for a refused option is refused: short bundles, unique prefixes,
/// the skip-/enable-/disable-/maximum-/loose-/autoset- prefixes, KEY.NAME, case and '_' for '-'.
/// The same check runs in validate (config loading) and in run's preflight.
/// </summary>
public sealed class ExtraArgsCheckSpecs
{
    private const string Secret = "SECRET";

    public static TheoryData<string[], string> Refused => new()
    {
        // Which databases: the dump would carry CREATE DATABASE and USE.
        { ["-B"], "--databases" },
        { ["-vB"], "--databases" },
        { ["-Bv"], "--databases" },
        { ["-vA"], "--all-databases" },
        { ["-A"], "--all-databases" },
        { ["--databases"], "CREATE DATABASE" },
        { ["--dat"], "--databases" },
        { ["--DATABASES"], "--databases" },
        { ["--all-databases"], "all_databases_except_system" },
        { ["--all-d"], "--all-databases" },
        { ["--all_databases"], "--all-databases" },
        { ["--loose-databases"], "--databases" },
        { ["--loose-all-databases"], "--all-databases" },
        { ["--LOOSE-all-databases"], "--all-databases" },
        { ["--maximum-databases"], "--databases" },
        { ["--enable-databases"], "--databases" },
        { ["--autoset-databases"], "--databases" },
        { ["--skip-databases=0"], "--databases" },
        { ["--disable-databases=0"], "--databases" },
        { ["--databases=1"], "--databases" },
        { ["--databases=on"], "--databases" },
        { ["--databases=TRUE"], "--databases" },
        { ["--skip-loose-databases"], "--databases" },
        { ["--loose_skip_databases=0"], "--databases" },
        { ["--x.databases"], "--databases" },
        { ["--loose-x.databases"], "--databases" },
        { ["--add-drop-database"], "DROP DATABASE" },
        { ["--add-drop-d"], "DROP DATABASE" },
        // The password on the command line (or a prompt on a terminal).
        { ["-p"], "'password' key" },
        { ["-pSECRET"], "'password' key" },
        { ["-vpSECRET"], "'password' key" },
        { ["-vp"], "'password' key" },
        { ["-p", Secret], "'password' key" },
        { ["--password"], "'password' key" },
        { ["--password=SECRET"], "'password' key" },
        { ["--pass=SECRET"], "'password' key" },
        { ["--passwor"], "'password' key" },
        { ["--loose-password=SECRET"], "'password' key" },
        { ["--skip-password"], "'password' key" },
        { ["--password1=SECRET"], "'password' key" },
        { ["--x.password=SECRET"], "'password' key" },
        // A dump written somewhere else than the backup stream.
        { ["-r/tmp/x.sql"], "somewhere else" },
        { ["-vr/tmp/x.sql"], "somewhere else" },
        { ["-vr", "/tmp/x.sql"], "somewhere else" },
        { ["--result-file=/tmp/x.sql"], "somewhere else" },
        { ["--res=/tmp/x.sql"], "somewhere else" },
        { ["--result-file", "/tmp/x.sql"], "somewhere else" },
        { ["--loose-result-file=/tmp/x.sql"], "somewhere else" },
        { ["--maximum-result-file=/tmp/x.sql"], "somewhere else" },
        { ["--enable-result-file"], "somewhere else" },
        { ["-T/tmp"], "somewhere else" },
        { ["--tab=/tmp"], "somewhere else" },
        { ["--loose-tab=/tmp"], "somewhere else" },
        { ["-X"], "XML" },
        { ["-vX"], "XML" },
        { ["--xml"], "XML" },
        { ["--x"], "XML" },
        // The completion line that proves a dump whole.
        { ["--compact"], "Dump completed" },
        { ["--loose-compact"], "Dump completed" },
        { ["--compac"], "Dump completed" },
        { ["--skip-comments"], "Dump completed" },
        { ["--SKIP-COMMENTS"], "Dump completed" },
        { ["--skip_comments"], "Dump completed" },
        { ["--comments=0"], "Dump completed" },
        { ["--comments=OFF"], "Dump completed" },
        { ["--comments=false"], "Dump completed" },
        { ["--disable-comments"], "Dump completed" },
        { ["--enable-comments=0"], "Dump completed" },
        { ["--loose-skip-comments"], "Dump completed" },
        { ["--skip-comm"], "Dump completed" },
        // Text instead of a dump.
        { ["-?"], "prints text" },
        { ["-V"], "prints text" },
        { ["--help"], "prints text" },
        { ["--version"], "prints text" },
        // Statements that act on the server a dump is restored into.
        { ["--master-data"], "CHANGE MASTER" },
        { ["--master-data=1"], "CHANGE MASTER" },
        { ["--dump-slave=2"], "CHANGE MASTER" },
        { ["--source-data=2"], "CHANGE MASTER" },
        { ["--apply-slave-statements"], "STOP SLAVE" },
        { ["--delete-master-logs"], "binary logs" },
        { ["--flush-privileges"], "FLUSH PRIVILEGES" },
        { ["--all-tablespaces"], "TABLESPACE" },
        { ["-Y"], "TABLESPACE" },
        { ["--system=users"], "server-level" },
        { ["--set-gtid-purged=ON"], "GTID_PURGED" },
        { ["--set-gtid-purged"], "GTID_PURGED" },
        { ["--default-character-set=gbk"], "character set" },
        // Only honoured as the first argument, which holds the credentials.
        { ["--defaults-file=/etc/my.cnf"], "first argument" },
        { ["--defaults-extra-file=/tmp/x.cnf"], "first argument" },
        { ["--no-defaults"], "first argument" },
        { ["--print-defaults"], "first argument" },
        { ["--login-path=prod"], "first argument" },
        // Not options: they would become database or table names.
        { ["shop"], "not an option" },
        { ["-"], "not an option" },
        { [""], "not an option" },
        { ["--"], "ends mysqldump's options" },
        { ["--", "other_db"], "follows '--'" },
        { ["-p", Secret, "shop"], "not an option" },
        // Cannot be read at all.
        { ["--ignore-table"], "needs a value" },
        { ["--single-transaction", "-w"], "needs a value" },
        { ["--nonexistent"], "not an option" },
        { ["--ver"], "ambiguous" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Every_spelling_of_a_refused_option_is_refused(string[] extraArgs, string explanation)
    {
        var problems = MySqlDumpArguments.Check(extraArgs);

        Assert.Contains(problems, p => p.Message.Contains(explanation, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain(Secret, p.Message));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Run_refuses_the_same_spellings_whichever_client_is_installed(string[] extraArgs, string explanation)
    {
        foreach (var installed in new[] { DumpClients.MariaDb, DumpClients.MySql })
        {
            var problems = MySqlDumpArguments.Check(extraArgs, installed);
            if (!explanation.Contains("not an option", StringComparison.Ordinal) && !explanation.Contains("ambiguous", StringComparison.Ordinal))
                Assert.Contains(problems, p => p.Message.Contains(explanation, StringComparison.Ordinal));
            else
                Assert.NotEmpty(problems);
        }
    }

    public static TheoryData<string[]> Allowed => new()
    {
        { ["--single-transaction", "--routines", "--events", "--triggers"] },
        { ["--ignore-table=shop.log"] },
        { ["--ignore-table", "shop.log"] },
        { ["--where", "-B"] },
        { ["-w", "-B"] },
        { ["-w1=1 OR -B"] },
        { ["--max-allowed-packet=1G", "-P3306", "-P", "3306"] },
        { ["--skip-dump-date", "--comments", "--comments=1", "--skip-comments=0", "-i"] },
        { ["--tables", "--skip-databases", "--databases=0", "--skip-compact", "--compact=off"] },
        { ["--databases=yes"] },
        { ["--skip-add-drop-table", "--skip-triggers", "--skip-lock-tables", "--skip-opt", "--opt"] },
        { ["-v", "-vq", "--verbose", "--skip-extended-insert", "-c"] },
        { ["--loose-nonexistent-option", "--loose-no-such=1"] },
        { ["--set-gtid-purged=OFF", "--set-gtid-purged=COMMENTED"] },
        { ["--dump-history", "-H"] },
        { ["--default-character-set=utf8mb4", "--hex-blob", "--skip-tz-utc"] },
        { ["--host=db2", "--user=reader", "--socket=/run/mysqld/mysqld.sock"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Ordinary_extra_args_pass(string[] extraArgs) => Assert.Empty(MySqlDumpArguments.Check(extraArgs));

    [Theory]
    [InlineData("--set-gtid-purged=OFF", DumpClients.MariaDb, "mariadb-dump")]
    [InlineData("--dump-history", DumpClients.MySql, "MySQL's mysqldump")]
    [InlineData("-H", DumpClients.MySql, "MySQL's mysqldump")]
    public void Run_names_an_option_the_installed_client_does_not_know(string arg, DumpClients installed, string client)
    {
        Assert.Empty(MySqlDumpArguments.Check([arg]));

        var problem = Assert.Single(MySqlDumpArguments.Check([arg], installed));

        Assert.Contains($"not an option of {client}", problem.Message);
    }

    [Fact]
    public void A_problem_names_the_element_it_is_about()
    {
        var problems = MySqlDumpArguments.Check(["--single-transaction", "--ignore-table", "shop.log", "-vB"]);

        var problem = Assert.Single(problems);
        Assert.Equal(3, problem.Index);
        Assert.Equal("'-B' (mysqldump reads it as --databases) " + problem.Message[(problem.Message.IndexOf(") ", StringComparison.Ordinal) + 2)..], problem.Message);
    }

    [Fact]
    public void Every_refused_option_is_in_the_table_of_both_clients_that_know_it()
    {
        // A prefix resolves against the whole table: a refused option missing from a client's table
        // could let a prefix of it look unique to something harmless.
        foreach (var name in new[] { "databases", "all-databases", "password", "result-file", "tab", "compact", "comments", "xml" })
        {
            Assert.Contains(DumpOptionTable.Of(DumpClients.MariaDb), o => o.Name == name);
            Assert.Contains(DumpOptionTable.Of(DumpClients.MySql), o => o.Name == name);
        }
    }
}
