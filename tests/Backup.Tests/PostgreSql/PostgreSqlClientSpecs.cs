using System.Text;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Processes;
using Backup.Core.Sources.PostgreSql;
using Backup.Tests.Support;

namespace Backup.Tests.PostgreSql;

/// <summary>Runs stand-in clients that report what they were given: argv, environment and the password file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlClientSpecs
{
    private const string Reporter = """
        #!/bin/sh
        echo "argv=$*"
        echo "passfile=${PGPASSFILE:-unset}"
        echo "modes=$(stat -c %a "$PGPASSFILE") $(stat -c %a "$(dirname "$PGPASSFILE")")"
        cat "$PGPASSFILE"
        echo "env-pgpassword=${PGPASSWORD:-unset}"
        """;

    private static PostgreSqlClient Client(string program, string secrets, Secret? password) =>
        new(new PostgreSqlConnection { Host = "127.0.0.1", Port = 5432, User = "backup", Password = password },
            new PostgreSqlPrograms(program, program, program, program)) { SecretDirectory = secrets };

    [Fact]
    public async Task The_password_reaches_the_client_only_in_a_private_password_file_which_is_gone_afterwards()
    {
        using var temp = new TempDir("pgclient");
        var script = temp.WriteExecutable("fake-psql", Reporter);
        var secrets = temp.CreateDirectory("secrets");
        var client = Client(script, secrets, new Secret(@"s3:cr\et"));
        var inherited = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", "from-the-parent");
        ProcessOutcome outcome;
        var stdout = new MemoryStream();
        try
        {
            outcome = await client.RunAsync(script, ["--no-password", "--dbname=" + client.Connection.ToConnectionString("shop")], null, stdout,
                CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", inherited);
        }

        var report = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains($"passfile={secrets}/", report);
        Assert.Contains("modes=600 700", report);
        Assert.Contains(@"*:*:*:*:s3\:cr\\et", report);
        Assert.Contains("env-pgpassword=unset", report);
        Assert.Contains("argv=--no-password --dbname=host='127.0.0.1' port='5432' user='backup' dbname='shop'", report);
        Assert.DoesNotContain("s3", report.Split('\n').Single(l => l.StartsWith("argv=", StringComparison.Ordinal)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task Without_a_password_no_file_is_written_and_libpq_keeps_its_own_ways()
    {
        using var temp = new TempDir("pgclient");
        var script = temp.WriteExecutable("fake-psql", "#!/bin/sh\necho \"passfile=${PGPASSFILE:-unset}\"\n");
        var secrets = temp.CreateDirectory("secrets");
        var stdout = new MemoryStream();

        await Client(script, secrets, null).RunAsync(script, [], null, stdout, CancellationToken.None);

        Assert.Contains("passfile=unset", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_password_file_is_gone_when_the_client_fails_or_cannot_start()
    {
        using var temp = new TempDir("pgclient");
        var failing = temp.WriteExecutable("failing", "#!/bin/sh\necho 'psql: error: boom' >&2\nexit 2\n");
        var secrets = temp.CreateDirectory("secrets");
        var client = Client(failing, secrets, new Secret("pw"));

        var outcome = await client.RunAsync(failing, [], null, null, CancellationToken.None);
        await Assert.ThrowsAsync<BackupException>(() => client.RunAsync(temp.Combine("missing"), [], null, null, CancellationToken.None));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Theory]
    [InlineData("psql: error: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"backup\"",
        "the login is refused; check 'user' and 'password'")]
    [InlineData("psql: error: connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password supplied",
        "asks for a password and none is configured")]
    [InlineData("psql: error: connection to server at \"127.0.0.1\", port 1 failed: Connection refused | Is the server running on that host and accepting TCP/IP connections?",
        "is unreachable; check 'host' and 'port'")]
    [InlineData("psql: error: could not translate host name \"nohost\" to address: Name or service not known", "is unreachable")]
    [InlineData("psql: error: connection to server at \"10.0.0.1\", port 5432 failed: timeout expired", "is unreachable")]
    [InlineData("FATAL:  no pg_hba.conf entry for host \"10.1.1.1\", user \"backup\", database \"shop\", no encryption", "pg_hba.conf")]
    public void A_failure_to_connect_says_what_to_check(string stderr, string expected)
    {
        var client = Client("psql", "/tmp", new Secret("pw"));

        var error = client.Failure(new ProcessOutcome(2, stderr), "shop");

        Assert.Contains(expected, error.Message);
        Assert.Contains("127.0.0.1:5432 as 'backup'", error.Message);
    }

    [Fact]
    public void An_unknown_database_is_its_own_failure()
    {
        var client = Client("psql", "/tmp", null);

        var error = client.Failure(new ProcessOutcome(2, "psql: error: ... failed: FATAL:  database \"nope\" does not exist"), "nope");

        Assert.Equal("nope", Assert.IsType<PostgreSqlUnknownDatabaseException>(error).Database);
    }

    [Fact]
    public void A_client_killed_by_a_signal_is_named_so()
    {
        var client = Client("pg_dump", "/tmp", null);

        Assert.Contains("killed by signal 9", client.Failure(new ProcessOutcome(137, ""), "shop").Message);
    }
}
