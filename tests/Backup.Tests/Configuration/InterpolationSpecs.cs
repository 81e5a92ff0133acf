using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

public sealed class InterpolationSpecs : IDisposable
{
    private readonly TempDir _tmp = new("interpolation");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Variables_are_expanded_in_every_kind_of_value()
    {
        var config = Parse("""
            sources:
              mysqldump:
                prod:
                  temp: ${TMP_DIR}
                  databases: [app, "${EXTRA_DB}"]
                  host: db.${DOMAIN}
                  port: ${DB_PORT}
                  cleanup: ${KEEP}
            """,
            new() { ["TMP_DIR"] = _tmp.Path, ["EXTRA_DB"] = "billing", ["DOMAIN"] = "example.com", ["DB_PORT"] = "3307", ["KEEP"] = "false" });

        var prod = config.MySql["prod"];
        Assert.Equal(_tmp.Path, prod.Temp);
        Assert.Equal(["app", "billing"], prod.Databases);
        Assert.Equal("db.example.com", prod.Host);
        Assert.Equal(3307, prod.Port);
        Assert.False(prod.Cleanup);
    }

    [Fact]
    public void A_double_dollar_before_a_brace_escapes_it_and_other_dollars_stay_as_written()
    {
        var config = Parse("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  user: $$USER
                  password: pa$word$${X}
            """,
            new() { ["USER"] = "not-used", ["X"] = "not-used" });

        Assert.Equal("$$USER", config.MySql["prod"].User);
        Assert.Equal("pa$word${X}", config.MySql["prod"].Password?.Reveal());
        Assert.Empty(config.SecretEnvironmentVariables);
    }

    [Fact]
    public void Variables_that_feed_secrets_are_recorded_and_others_are_not()
    {
        var config = Parse("""
            sources:
              mysqldump:
                prod:
                  temp: ${TMP_DIR}
                  databases: [app]
                  password: ${DB_PASSWORD}
            destinations:
              s3:
                method: s3
                S3_BUCKET: ${BUCKET}
                AWS_ACCESS_KEY_ID: ${KEY_ID}
                AWS_SECRET_ACCESS_KEY: ${KEY_PART_1}${KEY_PART_2}
            """,
            new()
            {
                ["TMP_DIR"] = _tmp.Path, ["DB_PASSWORD"] = "pw", ["BUCKET"] = "b",
                ["KEY_ID"] = "id", ["KEY_PART_1"] = "se", ["KEY_PART_2"] = "cret",
            });

        Assert.Equal("pw", config.MySql["prod"].Password?.Reveal());
        Assert.Equal("secret", ((S3DestinationConfig)config.Destinations["s3"]).SecretAccessKey?.Reveal());
        Assert.Equal(
            ["DB_PASSWORD", "KEY_ID", "KEY_PART_1", "KEY_PART_2"],
            config.SecretEnvironmentVariables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_undefined_variable_is_named_with_the_path_where_it_is_used()
    {
        var errors = Errors("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app, "${SECOND_DB}"]
                  password: ${DB_PASSWORD}
            """,
            new());

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.databases[1]", 5, "environment variable 'SECOND_DB' is not set");
        ConfigText.AssertHas(errors, "sources.mysqldump.prod.password", 6, "environment variable 'DB_PASSWORD' is not set");
    }

    [Theory]
    [InlineData("${unclosed", "'${' is not closed by '}'")]
    [InlineData("${}", "is not a valid variable reference")]
    [InlineData("${BAD-NAME}", "is not a valid variable reference")]
    public void A_malformed_reference_is_an_error(string value, string fragment)
    {
        var errors = Errors($$"""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  host: "{{value}}"
            """,
            new());

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.host", 6, fragment);
    }

    [Fact]
    public void A_malformed_reference_in_a_secret_is_not_quoted()
    {
        var errors = Errors("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password: "Pw${part-of-the-secret}"
            """,
            new());

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.password", 6, "a '${...}' is not a valid variable reference");
        Assert.DoesNotContain(errors, e => e.Message.Contains("part-of-the-secret", StringComparison.Ordinal));
    }

    private BackupConfig Parse(string yaml, Dictionary<string, string> environment) =>
        ConfigText.Parse(yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal), _tmp.Path, environment);

    private IReadOnlyList<ConfigError> Errors(string yaml, Dictionary<string, string> environment) =>
        ConfigText.Errors(yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal), _tmp.Path, environment);
}
