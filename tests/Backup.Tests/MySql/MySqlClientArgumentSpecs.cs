using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;
using Backup.Tests.Support;

namespace Backup.Tests.MySql;

/// <summary>Runs a stand-in "client" script that reports what it was given: argv, the option file and its modes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MySqlClientArgumentSpecs
{
    private const string Reporter = """
        #!/bin/sh
        f="${1#--defaults-extra-file=}"
        echo "first=$1"
        echo "modes=$(stat -c %a "$f") $(stat -c %a "$(dirname "$f")")"
        cat "$f"
        shift
        echo "rest=$*"
        echo "env-pwd=${MYSQL_PWD:-unset}"
        """;

    [Fact]
    public async Task The_credentials_file_is_the_first_argument_is_private_and_is_gone_afterwards()
    {
        using var temp = new TempDir("client");
        var script = temp.WriteExecutable("fake-mysql", Reporter);
        var secrets = temp.CreateDirectory("secrets");
        var client = new MySqlClient("127.0.0.1", 3306, "backup", new Secret("s3 cr\"et#")) { SecretDirectory = secrets };

        var stdout = new MemoryStream();
        var outcome = await client.RunAsync(script, ["--batch", "--", "my-db"], null, stdout, CancellationToken.None);
        var report = Encoding.UTF8.GetString(stdout.ToArray());

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains($"first=--defaults-extra-file={secrets}/", report);
        Assert.Contains("modes=600 700", report);
        Assert.Contains("password=\"s3 cr\\\"et#\"", report);
        Assert.Contains("rest=--batch -- my-db", report);
        Assert.Contains("env-pwd=unset", report);
        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }

    [Fact]
    public async Task The_credentials_file_is_gone_when_the_program_cannot_start()
    {
        using var temp = new TempDir("client");
        var secrets = temp.CreateDirectory("secrets");
        var client = new MySqlClient(null, null, "backup", new Secret("pw")) { SecretDirectory = secrets };

        await Assert.ThrowsAsync<Backup.Core.BackupException>(() =>
            client.RunAsync(temp.Combine("no-such-program"), [], null, null, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(secrets));
    }
}
