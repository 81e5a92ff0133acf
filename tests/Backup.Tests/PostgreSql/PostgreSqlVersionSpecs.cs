using Backup.Core;
using Backup.Core.Sources.PostgreSql;

namespace Backup.Tests.PostgreSql;

public sealed class PostgreSqlVersionSpecs
{
    [Theory]
    [InlineData("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 150018, "15.18", "15")]
    [InlineData("pg_dump (PostgreSQL) 17.2", 170002, "17.2", "17")]
    [InlineData("pg_dump (PostgreSQL) 10.23", 100023, "10.23", "10")]
    [InlineData("pg_dump (PostgreSQL) 9.6.24", 90624, "9.6.24", "9.6")]
    [InlineData("pg_dump (PostgreSQL) 18beta1", 180000, "18.0", "18")]
    [InlineData("pg_dumpall (PostgreSQL) 16devel\n", 160000, "16.0", "16")]
    public void A_client_version_line_is_read_as_the_server_counts_versions(string line, int number, string text, string major)
    {
        var version = PostgreSqlVersion.FromVersionLine(line);

        Assert.Equal(new PostgreSqlVersion(number), version);
        Assert.Equal(text, version!.Value.ToString());
        Assert.Equal(major, version.Value.MajorText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pg_dump 15.4")]
    [InlineData("mysqldump  Ver 10.19 Distrib 10.11.6-MariaDB")]
    public void A_line_without_a_PostgreSQL_version_has_none(string line)
    {
        Assert.Null(PostgreSqlVersion.FromVersionLine(line));
    }

    [Theory]
    [InlineData("150018\n", 150018)]
    [InlineData("90624", 90624)]
    public void The_server_version_num_is_the_number(string text, int number)
    {
        Assert.Equal(new PostgreSqlVersion(number), PostgreSqlVersion.FromServerVersionNum(text));
        Assert.Null(PostgreSqlVersion.FromServerVersionNum("fifteen"));
    }

    [Theory]
    [InlineData(150018, 150002)]
    [InlineData(150002, 150018)]
    [InlineData(170000, 150018)]
    [InlineData(150000, 90624)]
    [InlineData(90624, 90600)]
    public void A_pg_dump_of_the_servers_major_version_or_a_later_one_may_dump_it(int dump, int server)
    {
        ClientVersionCheck.Require(new PostgreSqlVersion(dump), new PostgreSqlVersion(server), "pg_dump", "127.0.0.1:5432");
    }

    [Theory]
    [InlineData(140011, 150018, "pg_dump is version 14.11, older than the PostgreSQL server 127.0.0.1:5432, which runs 15.18", "postgresql-client-15")]
    [InlineData(90624, 100001, "version 9.6.24, older than", "postgresql-client-10")]
    [InlineData(90524, 90624, "version 9.5.24, older than", "postgresql-client-9.6")]
    public void An_older_pg_dump_is_refused_naming_both_versions(int dump, int server, string expected, string package)
    {
        var error = Assert.Throws<BackupException>(() =>
            ClientVersionCheck.Require(new PostgreSqlVersion(dump), new PostgreSqlVersion(server), "pg_dump", "127.0.0.1:5432"));

        Assert.Contains(expected, error.Message);
        Assert.Contains(package, error.Message);
    }
}
