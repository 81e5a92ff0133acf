using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary>Documents no config is: too deep, too large, or using YAML features the loader does not support.</summary>
public sealed class DocumentLimitSpecs : IDisposable
{
    private readonly TempDir _tmp = new("config-limits");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void A_config_nested_100000_levels_deep_is_a_config_error_found_quickly()
    {
        var yaml = "sources: " + new string('[', 100_000) + new string(']', 100_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var errors = ConfigText.Errors(yaml, _tmp.Path);

        Assert.Contains(errors, e => e.Message.Contains("nested more than 32 levels deep", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the scan must stop at the limit, not parse the whole nesting");
    }

    [Fact]
    public void A_config_file_larger_than_1_MiB_is_refused_before_parsing()
    {
        var path = _tmp.Write("huge.yaml", "# " + new string('x', 2 << 20) + "\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Contains("larger than 1024 KiB", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void A_yaml_merge_key_is_refused_by_name_without_misleading_follow_up_errors()
    {
        var errors = ConfigText.Errors($$"""
            defaults: &defaults
              temp: {{_tmp.Path}}
            sources:
              directories:
                home:
                  <<: *defaults
                  path: {{_tmp.Path}}
            """, _tmp.Path);

        var error = Assert.Single(errors);
        Assert.Equal("sources.directories.home.<<", error.YamlPath);
        Assert.Contains("merge keys ('<<: *anchor') are not supported", error.Message);
    }
}
