using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary>The YAML examples of the seed README (backup-py-README.md) keep working with the same meaning.</summary>
public sealed class SeedExampleSpecs : IDisposable
{
    // Copied from the seed README; only /tmp/backups and the snapshot directory are replaced by a TempDir.
    private const string ExplicitList = """
        sources:
          mysqldump:
            prod:
              temp: /tmp/backups
              databases:
                - app
                - analytics
              compress: gzip
              encryption: gpg-main
              destination: s3-main
              cleanup: true
              host: localhost
              port: 3306
              user: root
              password: secret
              extra_args:
                - --single-transaction
                - --routines

        destinations:
          s3-main:
            method: s3
            S3_BUCKET: my-bucket
            prefix: backups/mysql

        encryptions:
          gpg-main:
            method: gpg
            recipient: backups@example.com
        """;

    private const string AllButSystem = """
        sources:
          mysqldump:
            prod:
              temp: /tmp/backups
              all_databases_except_system: true
              exclude_databases:
                - mysql
                - information_schema
                - performance_schema
                - sys
              destination: s3-main
        """;

    private const string Directory = """
        sources:
          directories:
            home:
              path: /home/pablo/data
              temp: /tmp/backups
              compress: gzip
              destination: s3-main
        """;

    private const string Incremental = """
        sources:
          directories:
            home:
              path: /home/pablo/data
              temp: /tmp/backups
              compress: bzip2
              destination: s3-main
              incremental: true
              incremental_snapshot: /var/lib/backup/home.snar
        """;

    // The seed's snippets after the first one refer to s3-main without repeating it.
    private const string S3Main = """

        destinations:
          s3-main:
            method: s3
            S3_BUCKET: my-bucket
            prefix: backups/mysql
        """;

    private readonly TempDir _tmp = new("seed");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void The_explicit_database_list_example_means_what_the_seed_says()
    {
        var config = Parse(ExplicitList);

        var prod = Assert.Single(config.MySql).Value;
        Assert.Equal("prod", prod.Name);
        Assert.Equal(_tmp.Path, prod.Temp);
        Assert.Equal(["app", "analytics"], prod.Databases);
        Assert.False(prod.AllDatabasesExceptSystem);
        Assert.Equal(CompressionKind.Gzip, prod.Compress);
        Assert.Null(prod.CompressLevel);
        Assert.Equal("gpg-main", prod.Encryption);
        Assert.Equal(["s3-main"], prod.Destinations);
        Assert.True(prod.Cleanup);
        Assert.Equal("localhost", prod.Host);
        Assert.Equal(3306, prod.Port);
        Assert.Equal("root", prod.User);
        Assert.Equal("secret", prod.Password?.Reveal());
        Assert.Equal(["--single-transaction", "--routines"], prod.ExtraArgs);
        Assert.Null(prod.Parallel);

        var s3 = Assert.IsType<S3DestinationConfig>(config.Destinations["s3-main"]);
        Assert.Equal("my-bucket", s3.Bucket);
        Assert.Equal("backups/mysql", s3.Prefix);
        Assert.Null(s3.AccessKeyId);
        Assert.Null(s3.Endpoint);

        var gpg = config.Encryptions["gpg-main"];
        Assert.Equal("backups@example.com", gpg.Recipient);
        Assert.Null(gpg.PublicKey);

        Assert.Empty(config.Directories);
        Assert.Empty(config.SecretEnvironmentVariables);
    }

    [Fact]
    public void The_all_databases_example_dumps_everything_but_the_system_databases()
    {
        var prod = Assert.Single(Parse(AllButSystem + S3Main).MySql).Value;

        Assert.True(prod.AllDatabasesExceptSystem);
        Assert.Empty(prod.Databases);
        Assert.Equal(["mysql", "information_schema", "performance_schema", "sys"], prod.ExcludeDatabases);
        Assert.Equal(CompressionKind.None, prod.Compress);
        Assert.Null(prod.Encryption);
        Assert.True(prod.Cleanup);
    }

    [Fact]
    public void Without_exclude_databases_the_seed_default_system_list_is_excluded()
    {
        var yaml = AllButSystem.Replace("""
                  exclude_databases:
                    - mysql
                    - information_schema
                    - performance_schema
                    - sys

            """, "", StringComparison.Ordinal);
        Assert.DoesNotContain("exclude_databases", yaml, StringComparison.Ordinal);

        var prod = Assert.Single(Parse(yaml + S3Main).MySql).Value;

        Assert.Equal(MySqlSourceConfig.DefaultExcludedDatabases, prod.ExcludeDatabases);
    }

    [Fact]
    public void The_directory_example_archives_one_directory()
    {
        var home = Assert.Single(Parse(Directory + S3Main).Directories).Value;

        Assert.Equal("/home/pablo/data", home.Path);
        Assert.Equal(_tmp.Path, home.Temp);
        Assert.Equal(CompressionKind.Gzip, home.Compress);
        Assert.Equal(["s3-main"], home.Destinations);
        Assert.False(home.Incremental);
        Assert.Null(home.IncrementalSnapshot);
        Assert.Equal("sources.directories.home", home.YamlPath);
    }

    [Fact]
    public void The_incremental_example_keeps_its_snapshot_path()
    {
        var snapshotDirectory = _tmp.CreateDirectory("state");
        var yaml = Incremental.Replace("/var/lib/backup", snapshotDirectory, StringComparison.Ordinal);

        var home = Assert.Single(Parse(yaml + S3Main).Directories).Value;

        Assert.Equal(CompressionKind.Bzip2, home.Compress);
        Assert.True(home.Incremental);
        Assert.Equal(Path.Combine(snapshotDirectory, "home.snar"), home.IncrementalSnapshot);
    }

    [Fact]
    public void The_seed_empty_compress_means_no_compression()
    {
        var yaml = Directory.Replace("compress: gzip", "compress: \"\"", StringComparison.Ordinal);

        var home = Assert.Single(Parse(yaml + S3Main).Directories).Value;

        Assert.Equal(CompressionKind.None, home.Compress);
    }

    [Fact]
    public void Seed_style_yes_and_no_booleans_are_understood()
    {
        var yaml = ExplicitList.Replace("cleanup: true", "cleanup: No", StringComparison.Ordinal);

        var prod = Assert.Single(Parse(yaml).MySql).Value;

        Assert.False(prod.Cleanup);
    }

    private BackupConfig Parse(string yaml) =>
        ConfigText.Parse(yaml.Replace("/tmp/backups", _tmp.Path, StringComparison.Ordinal), _tmp.Path);
}
