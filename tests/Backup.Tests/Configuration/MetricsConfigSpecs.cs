using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

public sealed class MetricsConfigSpecs
{
    [Fact]
    public void Metrics_file_names_the_file_as_written_and_may_not_exist_yet()
    {
        using var tmp = new TempDir("metrics-config");

        var config = ConfigText.Parse($$"""
            metrics_file: {{tmp.Path}}/backup.prom
            sources:
              directories:
                home: { path: /data, temp: "{{tmp.Path}}" }
            """, tmp.Path);

        Assert.Equal($"{tmp.Path}/backup.prom", config.MetricsFile);
    }

    [Fact]
    public void Without_metrics_file_there_is_none()
    {
        using var tmp = new TempDir("metrics-config");

        var config = ConfigText.Parse($$"""
            sources:
              directories:
                home: { path: /data, temp: "{{tmp.Path}}" }
            """, tmp.Path);

        Assert.Null(config.MetricsFile);
    }

    [Fact]
    public void Commands_that_may_run_on_another_host_do_not_check_the_folder()
    {
        var config = ConfigLoader.Parse("""
            metrics_file: /no/such/folder/backup.prom
            sources:
              directories:
                home: { path: /data, temp: /no/such/temp }
            """, "backup.yaml", "/", _ => null, LocalPathChecks.None);

        Assert.Equal("/no/such/folder/backup.prom", config.MetricsFile);
    }
}
