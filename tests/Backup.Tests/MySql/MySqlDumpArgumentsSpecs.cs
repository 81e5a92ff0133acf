using Backup.Core.Sources.MySql;

namespace Backup.Tests.MySql;

public sealed class MySqlDumpArgumentsSpecs
{
    private static readonly MySqlClientFlavour MariaDb = new(true, new Version(10, 11, 6));
    private static readonly MySqlClientFlavour MySql8 = new(false, new Version(8, 0, 36));
    private static readonly MySqlClientFlavour MySql57 = new(false, new Version(5, 7, 44));

    [Fact]
    public void Every_dump_is_consistent_complete_and_binary_safe_by_default()
    {
        var args = MySqlDumpArguments.Build(MariaDb, serverIsMariaDb: true, [], "shop");

        foreach (var flag in new[] { "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                     "--default-character-set=utf8mb4", "--quick", "--no-tablespaces", "--max-allowed-packet=1G" })
            Assert.Contains(flag, args);
    }

    [Fact]
    public void The_database_comes_last_after_an_end_of_options_marker()
    {
        var args = MySqlDumpArguments.Build(MariaDb, true, [], "-odd-name");

        Assert.Equal(["--", "-odd-name"], args.TakeLast(2));
    }

    [Fact]
    public void Extra_args_come_after_our_defaults_so_they_can_override_them()
    {
        var args = MySqlDumpArguments.Build(MySql8, false, ["--skip-triggers", "--ignore-table", "shop.log"], "shop");

        Assert.Equal(["--skip-triggers", "--ignore-table", "shop.log", "--", "shop"], args.TakeLast(5));
        Assert.True(args.ToList().IndexOf("--triggers") < args.ToList().IndexOf("--skip-triggers"));
    }

    [Fact]
    public void A_MariaDB_client_gets_no_MySQL_only_flags()
    {
        var args = MySqlDumpArguments.Build(MariaDb, true, [], "shop");

        Assert.DoesNotContain(args, a => a.StartsWith("--set-gtid-purged", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.StartsWith("--column-statistics", StringComparison.Ordinal));
    }

    [Fact]
    public void A_MySQL_client_does_not_write_gtid_history_into_a_per_database_dump()
    {
        Assert.Contains("--set-gtid-purged=OFF", MySqlDumpArguments.Build(MySql8, false, [], "shop"));
        Assert.Contains("--set-gtid-purged=OFF", MySqlDumpArguments.Build(MySql57, false, [], "shop"));
    }

    [Fact]
    public void A_MySQL_8_client_skips_column_statistics_only_against_a_MariaDB_server()
    {
        Assert.Contains("--column-statistics=0", MySqlDumpArguments.Build(MySql8, serverIsMariaDb: true, [], "shop"));
        Assert.DoesNotContain("--column-statistics=0", MySqlDumpArguments.Build(MySql8, serverIsMariaDb: false, [], "shop"));
        Assert.DoesNotContain("--column-statistics=0", MySqlDumpArguments.Build(MySql57, serverIsMariaDb: true, [], "shop"));
    }

    [Theory]
    [InlineData(true, "10.11.6", true, true)]
    [InlineData(true, "11.4.2", true, true)]
    [InlineData(true, "10.6.18", true, false)]
    [InlineData(false, "8.0.36", true, false)]
    [InlineData(true, "10.11.6", false, false)]
    public void History_is_dumped_by_MariaDB_s_client_from_10_11_from_a_MariaDB_server(bool mariaDb, string version, bool serverIsMariaDb, bool dumps)
    {
        var history = HistoryDumping.For(new MySqlClientFlavour(mariaDb, Version.Parse(version)), serverIsMariaDb, []);

        Assert.Equal(dumps, history.AddFlag(transactionPrecise: false));
        Assert.False(history.AddFlag(transactionPrecise: true));
    }

    [Theory]
    [InlineData("--skip-dump-history")]
    [InlineData("--dump-history=0")]
    [InlineData("--dump-history")]
    [InlineData("-H")]
    public void Extra_args_about_history_are_left_to_decide_it(string arg)
    {
        var history = HistoryDumping.For(MariaDb, serverIsMariaDb: true, [arg]);

        Assert.False(history.AddFlag(transactionPrecise: false));
        Assert.NotNull(history.Asked);
    }

    [Fact]
    public void Dump_history_comes_before_extra_args_so_that_they_can_switch_it_off()
    {
        var args = MySqlDumpArguments.Build(MariaDb, true, ["--skip-dump-history"], "shop", dumpHistory: true).ToList();

        Assert.True(args.IndexOf("--dump-history") < args.IndexOf("--skip-dump-history"));
    }
}
