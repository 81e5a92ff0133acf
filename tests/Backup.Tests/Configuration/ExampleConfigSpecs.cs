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
            ["MYSQL_BACKUP_PASSWORD"] = "p", ["BACKUP_AWS_SECRET"] = "s",
        };

        var config = ConfigLoader.Parse(File.ReadAllText(file), Path.GetFileName(file), Path.GetDirectoryName(file)!,
            name => environment.GetValueOrDefault(name), LocalPathChecks.None);

        Assert.NotEmpty(config.AllSources);
    }
}
