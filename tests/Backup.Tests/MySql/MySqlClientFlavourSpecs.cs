using Backup.Core.Sources.MySql;

namespace Backup.Tests.MySql;

public sealed class MySqlClientFlavourSpecs
{
    [Theory]
    [InlineData("mysqldump  Ver 10.19 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)", true, "10.11.6")]
    [InlineData("mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)", true, "11.4.2")]
    [InlineData("mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)", false, "8.0.36")]
    [InlineData("mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)", false, "5.7.44")]
    public void The_flavour_is_read_from_the_version_line(string line, bool isMariaDb, string version)
    {
        var flavour = MySqlClientFlavour.Parse(line);

        Assert.Equal(isMariaDb, flavour.IsMariaDb);
        Assert.Equal(Version.Parse(version), flavour.Version);
    }
}
