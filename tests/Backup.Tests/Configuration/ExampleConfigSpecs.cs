using Backup.Core.Configuration;

namespace Backup.Tests.Configuration;

/// <summary>Every config under examples/ is valid (paths of the reader's machine aside), so the docs cannot rot.</summary>
public sealed class ExampleConfigSpecs
{
    public static TheoryData<string> Examples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Backup.slnx")))
            dir = dir.Parent;
        var examples = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "examples");
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(examples, "*.yaml").Order())
            data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void An_example_config_is_valid(string file)
    {
        var environment = new Dictionary<string, string>
        {
            ["HOSTNAME"] = "host1", ["BACKUP_AWS_KEY_ID"] = "AKIAEXAMPLE", ["MINIO_KEY"] = "k", ["MINIO_SECRET"] = "s",
            ["MYSQL_BACKUP_PASSWORD"] = "p", ["PG_BACKUP_PASSWORD"] = "p", ["BACKUP_AWS_SECRET"] = "s",
            ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/x", ["DISCORD_WEBHOOK_URL"] = "https://discord.com/api/webhooks/1/x",
            ["TEAMS_WORKFLOW_URL"] = "https://prod-00.westeurope.logic.azure.com/workflows/x", ["NTFY_TOKEN"] = "tk_x",
            ["WEBHOOK_SECRET"] = "k3y", ["HC_UUID"] = "0b6b6e8c-4a1b-4c55-9d59-1a2b3c4d5e6f", ["SMTP_PASSWORD"] = "p",
        };

        var config = ConfigLoader.Parse(File.ReadAllText(file), Path.GetFileName(file), Path.GetDirectoryName(file)!,
            name => environment.GetValueOrDefault(name), LocalPathChecks.None);

        Assert.NotEmpty(config.AllSources);
    }
}
