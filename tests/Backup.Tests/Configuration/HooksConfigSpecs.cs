using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary><c>hooks</c> under a source and at the top level: the command forms, the timeout, and what a hook may not use.</summary>
public sealed class HooksConfigSpecs : IDisposable
{
    private readonly TempDir _tmp = new("hooks-config");

    public void Dispose() => _tmp.Dispose();

    private string Yaml(string yaml) => yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal);

    [Fact]
    public void An_argument_list_runs_as_it_is_and_a_string_runs_through_bin_sh()
    {
        var config = ConfigText.Parse(Yaml("""
            hooks:
              before: ["echo run starts"]
              after:
                - [/usr/local/bin/notify, "--status", ""]
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks:
                    before:
                      - [systemctl, stop, "${UNIT}"]
                      - 'sync; echo "$BACKUP_SOURCE" > /tmp/x'
                    on_failure: [[logger, failed]]
                    timeout: 90s
            """), _tmp.Path, new Dictionary<string, string> { ["UNIT"] = "app.service" });

        var home = config.Directories["home"].Hooks;
        Assert.Equal(["systemctl", "stop", "app.service"], home.Before[0].Arguments);
        Assert.Equal("sources.directories.home.hooks.before[0]", home.Before[0].Name);
        Assert.Equal(["/bin/sh", "-c", "sync; echo \"$BACKUP_SOURCE\" > /tmp/x"], home.Before[1].Arguments);
        Assert.Equal(["logger", "failed"], Assert.Single(home.OnFailure).Arguments);
        Assert.Empty(home.After);
        Assert.Equal(TimeSpan.FromSeconds(90), home.Timeout);

        Assert.Equal(["/bin/sh", "-c", "echo run starts"], Assert.Single(config.Hooks.Before).Arguments);
        Assert.Equal("hooks.before[0]", config.Hooks.Before[0].Name);
        Assert.Equal(["/usr/local/bin/notify", "--status", ""], Assert.Single(config.Hooks.After).Arguments);
        Assert.Equal(TimeSpan.FromMinutes(5), config.Hooks.Timeout);
    }

    [Fact]
    public void Without_hooks_nothing_runs_around_a_source_or_the_run()
    {
        var config = ConfigText.Parse(Yaml("""
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """), _tmp.Path);

        Assert.True(config.Hooks.IsEmpty);
        Assert.True(config.Directories["home"].Hooks.IsEmpty);
    }

    [Fact]
    public void A_hook_using_a_variable_that_feeds_a_secret_is_refused_at_the_command_without_quoting_the_secret()
    {
        var errors = ConfigText.Errors(Yaml("""
            hooks:
              after:
                - "mysql -p${DB_PASSWORD} -e 'select 1'"
            sources:
              mysqldump:
                prod:
                  databases: [shop]
                  temp: {tmp}
                  password: ${DB_PASSWORD}
                  hooks:
                    before: [[notify, "${DB_PASSWORD}"]]
            """), _tmp.Path, new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret-pass" });

        ConfigText.AssertHas(errors, "hooks.after[0]", 3, "uses ${DB_PASSWORD}, which feeds a secret of this config; a hook never gets a secret");
        ConfigText.AssertHas(errors, "sources.mysqldump.prod.hooks.before[0]", 11, "uses ${DB_PASSWORD}");
        Assert.All(errors, e => Assert.DoesNotContain("s3cret-pass", e.Message));
    }
}
