using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Sources.PostgreSql;
using Backup.Tests.Support;

namespace Backup.Tests.PostgreSql;

/// <summary>How the connection reaches libpq: a connection string with no secret, and the password in a password file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConnectionSpecs
{
    [Fact]
    public void Every_value_is_quoted_with_quotes_and_backslashes_escaped()
    {
        var connection = new PostgreSqlConnection { Host = "db.example", Port = 5433, User = @"o'neil\x", SslMode = "verify-full" };

        Assert.Equal(
            @"host='db.example' port='5433' user='o\'neil\\x' dbname='a b=c\'d' sslmode='verify-full' connect_timeout='10' application_name='backup'",
            connection.ToConnectionString("a b=c'd"));
    }

    [Fact]
    public void What_is_not_configured_is_left_to_libpq_and_the_password_is_never_in_it()
    {
        var connection = new PostgreSqlConnection { Password = new Secret("hunter2") };

        var text = connection.ToConnectionString("", utf8: true);

        Assert.Equal("dbname='' connect_timeout='10' application_name='backup' client_encoding='UTF8'", text);
        Assert.DoesNotContain("hunter2", text + connection.Describe() + connection);
        Assert.Equal("localhost", connection.Describe());
        Assert.Equal("127.0.0.1:5432 as 'backup'", (connection with { Host = "127.0.0.1", Port = 5432, User = "backup" }).Describe());
    }

    [Theory]
    [InlineData("plain", "*:*:*:*:plain\n")]
    [InlineData(@"a:b\c", @"*:*:*:*:a\:b\\c" + "\n")]
    [InlineData(@"trailing\", @"*:*:*:*:trailing\\" + "\n")]
    [InlineData("sp ace 'q' \"dq\" #;$", "*:*:*:*:sp ace 'q' \"dq\" #;$\n")]
    [InlineData("ünï😀", "*:*:*:*:ünï😀\n")]
    public void The_password_file_escapes_colons_and_backslashes_as_libpq_reads_them(string password, string expected)
    {
        Assert.Equal(expected, PgPassFile.Render(new Secret(password)));
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("cr\r")]
    [InlineData("nul\0")]
    public void A_password_libpq_cannot_read_from_a_file_is_refused_without_quoting_it(string password)
    {
        var error = Assert.Throws<BackupException>(() => PgPassFile.Render(new Secret(password)));

        Assert.Contains("line break or a NUL", error.Message);
        Assert.DoesNotContain(password[..2], error.Message);
    }

    [Fact]
    public void The_password_file_is_private_and_removed_when_disposed()
    {
        using var temp = new TempDir("pgpass");
        var registry = new Backup.Core.Processes.TempSecretFiles();

        string path;
        using (var file = PgPassFile.Write(new Secret("p:w"), temp.Path, registry))
        {
            path = file.Path;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            Assert.Equal(@"*:*:*:*:p\:w" + "\n", File.ReadAllText(path));
        }

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        Assert.Empty(registry.Registered);
    }

    [Fact]
    public void The_ssl_modes_are_libpqs()
    {
        Assert.Equal(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"], PostgreSqlConnection.SslModes);
    }
}
