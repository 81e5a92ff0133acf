using Backup.Core.Configuration;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;
using Backup.Core.Sources;
using Backup.Core.Sources.Directories;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.PostgreSql;
using Backup.Tests.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Sources;

/// <summary>The registration of source kinds (<see cref="SourceKinds"/>): what every kind must get right for generic code to rely on it.</summary>
public sealed class SourceKindsSpecs : IDisposable
{
    private readonly TempDir _tmp = new("source-kinds");

    public void Dispose() => _tmp.Dispose();

    private string Yaml(string yaml) => yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal);

    [Fact]
    public void Each_kind_has_a_key_of_its_own_and_keys_that_do_not_repeat_the_shared_ones()
    {
        Assert.Equal(["mysqldump", "directories", "postgresql", "sqlite"], SourceKinds.All.Select(kind => kind.Key));
        foreach (var kind in SourceKinds.All)
        {
            Assert.Same(kind, SourceKinds.Find(kind.Key));
            Assert.Equal(kind.Keys.Distinct(), kind.Keys);
            Assert.Empty(kind.Keys.Intersect(KeySchema.CommonSource));
        }
    }

    [Fact]
    public void A_config_record_names_the_kind_that_reads_it()
    {
        var config = ConfigText.Parse(Yaml("""
            sources:
              mysqldump:
                prod: { temp: {tmp}, databases: [app] }
              directories:
                home: { temp: {tmp}, path: /data }
              postgresql:
                pg: { temp: {tmp}, databases: [shop] }
            """), _tmp.Path);

        Assert.All(config.AllSources, source => Assert.Equal(source.Kind, SourceKinds.Of(source).Key));
        Assert.IsType<MySqlSourceConfig>(config.AllSources[0]);
        Assert.IsType<DirectorySourceConfig>(config.AllSources[1]);
        Assert.IsType<PostgreSqlSourceConfig>(config.AllSources[2]);
    }

    [Fact]
    public void Sources_run_by_kind_in_registration_order_and_in_file_order_within_a_kind()
    {
        var config = ConfigText.Parse(Yaml("""
            sources:
              postgresql:
                pg: { temp: {tmp}, databases: [c] }
              directories:
                zeta: { temp: {tmp}, path: /z }
                alpha: { temp: {tmp}, path: /a }
              mysqldump:
                second: { temp: {tmp}, databases: [b] }
                first: { temp: {tmp}, databases: [a] }
            """), _tmp.Path);

        Assert.Equal(["second", "first", "zeta", "alpha", "pg"], config.AllSources.Select(source => source.Name));
    }

    [Fact]
    public void A_restore_option_means_one_thing_whatever_the_kind_that_takes_it()
    {
        var options = SourceKinds.All.SelectMany(kind => kind.RestoreOptions).GroupBy(option => option.Name);

        foreach (var same in options)
            Assert.Single(same.Select(option => option.IsFlag).Distinct());
        Assert.Equal(
            ["--to", "--into", "--to-file", "--force", "--users", "--single-pass", "--owner", "--globals"],
            SourceRestore.Options.Select(entry => entry.Option.Name));
        Assert.Equal(["mysqldump", "directories", "postgresql", "sqlite"], SourceRestore.Options.Single(entry => entry.Option == RestoreOption.Force).Kinds);
        Assert.Equal(["mysqldump", "postgresql"], SourceRestore.Options.Single(entry => entry.Option == RestoreOption.Into).Kinds);
    }

    [Fact]
    public void Each_kind_chooses_its_verify_check_from_the_manifest_alone()
    {
        Assert.NotNull(SourceKinds.Find("mysqldump")!.CompletenessCheck(Manifest("mysqldump", "sql")));
        Assert.NotNull(SourceKinds.Find("directories")!.CompletenessCheck(Manifest("directories", "tar")));
        Assert.NotNull(SourceKinds.Find("postgresql")!.CompletenessCheck(Manifest("postgresql", "dump")));
        Assert.NotNull(SourceKinds.Find("postgresql")!.CompletenessCheck(Manifest("postgresql", "sql")));
        // A content its kind does not know is read to the end by verify, as before.
        Assert.Null(SourceKinds.Find("directories")!.CompletenessCheck(Manifest("directories", "sql")));
        Assert.Null(SourceKinds.Find("no-such-kind"));
    }

    private static Backup.Core.Catalog.Manifest Manifest(string kind, string content) => new()
    {
        ToolVersion = "test", Source = "s", SourceKind = kind, Item = "i", Key = "k", Kind = "full",
        Created = DateTimeOffset.UnixEpoch, Content = content, Compression = "none", Encryption = "none",
        StoredSize = 0, Sha256 = "", RawSize = 0,
    };
}
