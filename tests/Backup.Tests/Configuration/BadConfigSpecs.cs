using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary>
/// Each bad config is reported at its YAML path and line with a message that says what is wrong.
/// In the YAML of the tables, {tmp} is an existing writable directory and {tmp}/file.txt an existing file.
/// </summary>
public sealed class BadConfigSpecs
{
    [Theory]
    [MemberData(nameof(BadSourceConfigs.Cases), MemberType = typeof(BadSourceConfigs))]
    [MemberData(nameof(BadDirectorySourceConfigs.Cases), MemberType = typeof(BadDirectorySourceConfigs))]
    [MemberData(nameof(BadDestinationConfigs.Cases), MemberType = typeof(BadDestinationConfigs))]
    [MemberData(nameof(BadDocumentConfigs.Cases), MemberType = typeof(BadDocumentConfigs))]
    [MemberData(nameof(BadRetentionConfigs.Cases), MemberType = typeof(BadRetentionConfigs))]
    [MemberData(nameof(BadObjectLockConfigs.Cases), MemberType = typeof(BadObjectLockConfigs))]
    [MemberData(nameof(BadHookConfigs.Cases), MemberType = typeof(BadHookConfigs))]
    [MemberData(nameof(BadNotificationConfigs.Cases), MemberType = typeof(BadNotificationConfigs))]
    [MemberData(nameof(BadMetricsConfigs.Cases), MemberType = typeof(BadMetricsConfigs))]
    [MemberData(nameof(BadScheduleConfigs.Cases), MemberType = typeof(BadScheduleConfigs))]
    public void A_bad_config_is_reported_at_its_path_and_line(string what, string yaml, string path, int? line, string fragment)
    {
        using var tmp = new TempDir("bad-config");
        tmp.Write("file.txt", "not a directory\n");

        var errors = ConfigText.Errors(yaml.Replace("{tmp}", tmp.Path, StringComparison.Ordinal), tmp.Path);

        Assert.False(string.IsNullOrEmpty(what));
        ConfigText.AssertHas(errors, path, line, fragment.Replace("{tmp}", tmp.Path, StringComparison.Ordinal));
    }
}
