using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

public sealed class ErrorReportingSpecs : IDisposable
{
    private readonly TempDir _tmp = new("error-reporting");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Every_error_in_the_file_is_reported_at_once_in_file_order()
    {
        var exception = ConfigText.Failure(Fill("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  port: abc
                  destination: s3-man
              directories:
                home:
                  temp: {tmp}/missing
                  compres: gzip
            destinations:
              s3-main:
                method: s3
                endpoint: not-a-url
            encryptions:
              gpg-main:
                method: gpg
            """), _tmp.Path);

        var errors = exception.Errors;
        ConfigText.AssertHas(errors, "sources.mysqldump.prod.port", 6, "expected a whole number");
        ConfigText.AssertHas(errors, "sources.mysqldump.prod.destination", 7, "did you mean 's3-main'?");
        ConfigText.AssertHas(errors, "sources.directories.home.path", 9, "is required");
        ConfigText.AssertHas(errors, "sources.directories.home.temp", 10, "does not exist");
        ConfigText.AssertHas(errors, "sources.directories.home.compres", 11, "did you mean 'compress'?");
        ConfigText.AssertHas(errors, "destinations.s3-main.S3_BUCKET", 13, "is required");
        ConfigText.AssertHas(errors, "destinations.s3-main.endpoint", 15, "not an http:// or https:// URL");
        ConfigText.AssertHas(errors, "encryptions.gpg-main.recipient", 17, "is required");
        Assert.Equal(8, errors.Count);
        Assert.Equal(errors.OrderBy(e => e.Line).Select(e => e.Line), errors.Select(e => e.Line));
        Assert.Contains("backup.yaml: 8 config error(s)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("sources.mysqldump.prod.port (line 6): expected a whole number", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_duplicate_key_is_reported_with_its_path()
    {
        var errors = ConfigText.Errors("""
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  databases: [other]
            destinations:
              a: { method: local }
            destinations:
              b: { method: local }
            """, _tmp.Path);

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.databases", 5, "duplicate key (first set on line 4)");
        ConfigText.AssertHas(errors, "destinations", 8, "duplicate key (first set on line 6)");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void A_second_yaml_document_is_an_error()
    {
        var errors = ConfigText.Errors("""
            sources: {}
            ---
            sources: {}
            """, _tmp.Path);

        ConfigText.AssertHas(errors, "(yaml)", 2, "only one YAML document is allowed");
    }

    [Fact]
    public void An_empty_file_has_nothing_to_back_up()
    {
        var errors = ConfigText.Errors("# only a comment\n", _tmp.Path);

        ConfigText.AssertHas(errors, "sources", null, "nothing to back up");
    }

    [Fact]
    public void Loading_a_missing_file_is_a_config_error_that_says_what_to_do()
    {
        var path = _tmp.Combine("nope.yaml");

        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Equal(path, exception.File);
        ConfigText.AssertHas(exception.Errors, "(file)", null, "the file does not exist; pass the right path with --config");
    }

    [Fact]
    public void Loading_a_directory_is_a_config_error()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_tmp.Path));

        ConfigText.AssertHas(exception.Errors, "(file)", null, "it is a directory");
    }

    [Fact]
    public void Load_resolves_secret_files_next_to_the_config_file()
    {
        _tmp.Write("conf/db.pass", "from-file\n");
        var path = _tmp.Write("conf/backup.yaml", Fill("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password_file: db.pass
            """));

        var config = ConfigLoader.Load(path);

        Assert.Equal("from-file", config.MySql["prod"].Password?.Reveal());
    }

    [Fact]
    public void Filesystem_checks_can_be_skipped_for_hosts_that_only_restore()
    {
        var yaml = """
            sources:
              directories:
                home: { path: /data, temp: /nonexistent/backup-temp }
            destinations:
              nas: { method: local, path: /nonexistent/nas }
            """;

        var config = ConfigLoader.Parse(yaml, "backup.yaml", _tmp.Path, _ => null, LocalPathChecks.None);

        Assert.Equal("/nonexistent/nas", ((LocalDestinationConfig)config.Destinations["nas"]).Path);
    }

    [Fact]
    public void Validating_reports_a_source_path_that_does_not_exist_which_a_run_leaves_to_that_source()
    {
        var yaml = Fill("""
            sources:
              directories:
                gone: { path: /nonexistent/data, temp: {tmp} }
                file: { path: {tmp}/a-file, temp: {tmp} }
                here: { path: {tmp}, temp: {tmp} }
            """);
        _tmp.Write("a-file", "");

        var errors = Assert.Throws<ConfigException>(
            () => ConfigLoader.Parse(yaml, "backup.yaml", _tmp.Path, _ => null, LocalPathChecks.All)).Errors;
        var forRun = ConfigLoader.Parse(yaml, "backup.yaml", _tmp.Path, _ => null, LocalPathChecks.Run);

        ConfigText.AssertHas(errors, "sources.directories.gone.path", 3, "directory '/nonexistent/data' does not exist; fix `path`");
        ConfigText.AssertHas(errors, "sources.directories.file.path", 4, "is a file, not a directory");
        Assert.Equal(2, errors.Count);
        Assert.Equal("/nonexistent/data", forRun.Directories["gone"].Path);
    }

    [Fact]
    public void Checking_paths_creates_nothing()
    {
        var missingTemp = _tmp.Combine("temp");
        var missingSnapshotDirectory = _tmp.Combine("state");

        ConfigText.Errors($$"""
            sources:
              directories:
                home:
                  path: /data
                  temp: {{missingTemp}}
                  incremental: true
                  incremental_snapshot: {{missingSnapshotDirectory}}/home.snar
            """, _tmp.Path);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_tmp.Path));
    }

    [Fact]
    public void A_destination_may_be_a_list_of_names()
    {
        var config = ConfigText.Parse(Fill("""
            sources:
              directories:
                home:
                  path: /data
                  destination: [nas, s3]
            destinations:
              nas: { method: local, path: "{tmp}" }
              s3: { method: s3, S3_BUCKET: b, endpoint: "http://127.0.0.1:9000" }
            """), _tmp.Path);

        var home = config.Directories["home"];
        Assert.Equal(["nas", "s3"], home.Destinations);
        Assert.Null(home.Temp);
        Assert.True(((S3DestinationConfig)config.Destinations["s3"]).PathStyle);
    }

    private string Fill(string yaml) => yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal);
}
