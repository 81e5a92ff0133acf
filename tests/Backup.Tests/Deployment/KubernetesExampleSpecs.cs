using Backup.Core.Configuration;
using Backup.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Backup.Tests.Deployment;

/// <summary>
/// examples/kubernetes/ says what matters: a CronJob that never overlaps itself, runs the image as a
/// non-root user with the config from a Secret and S3 credentials from a Secret, keeps the incremental
/// state on a volume; and the config in the Secret is a valid config.
/// </summary>
public sealed class KubernetesExampleSpecs
{
    private static readonly string Folder = Path.Combine(RepoRoot(), "examples", "kubernetes");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Backup.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, file)))
            stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlNode At(YamlNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                YamlSequenceNode sequence when int.TryParse(part, out var index) => sequence.Children[index],
                YamlMappingNode mapping when mapping.Children.TryGetValue(new YamlScalarNode(part), out var child) => child,
                _ => throw new Xunit.Sdk.XunitException($"no '{part}' in {path} (at {node.Start})"),
            };
        }

        return node;
    }

    private static string Text(YamlNode node, string path) => ((YamlScalarNode)At(node, path)).Value!;

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, string path) => ((YamlSequenceNode)At(node, path)).Children.Cast<YamlMappingNode>();

    private static YamlMappingNode CronJob() => Assert.Single(Documents("backup-cronjob.yaml"));

    private static YamlNode Pod() => At(CronJob(), "spec.jobTemplate.spec.template.spec");

    private static YamlMappingNode Container() => Assert.Single(Items(Pod(), "containers"));

    private static Dictionary<string, YamlMappingNode> Secrets() =>
        Documents("backup-secrets.yaml").ToDictionary(d => Text(d, "metadata.name"));

    [Fact]
    public void The_cronjob_never_overlaps_itself_and_runs_the_program_on_the_mounted_config()
    {
        var cronJob = CronJob();

        Assert.Equal(("batch/v1", "CronJob"), (Text(cronJob, "apiVersion"), Text(cronJob, "kind")));
        Assert.Equal("Forbid", Text(cronJob, "spec.concurrencyPolicy"));
        Assert.Equal("Never", Text(Pod(), "restartPolicy"));
        var args = ((YamlSequenceNode)At(Container(), "args")).Children.Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal(["run", "--config", "/etc/backup/backup.yaml"], args.Take(3));
        var config = Assert.Single(Items(Container(), "volumeMounts"), m => Text(m, "mountPath") == "/etc/backup");
        var volume = Assert.Single(Items(Pod(), "volumes"), v => Text(v, "name") == Text(config, "name"));
        Assert.Equal("true", Text(config, "readOnly"));
        var secret = Secrets()[Text(volume, "secret.secretName")];
        Assert.True(((YamlMappingNode)At(secret, "stringData")).Children.ContainsKey(new YamlScalarNode("backup.yaml")));
    }

    [Fact]
    public void The_s3_credentials_come_from_a_secret_that_holds_them()
    {
        var env = Items(Container(), "env").ToDictionary(e => Text(e, "name"));
        var secrets = Secrets();

        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY" })
        {
            var secret = secrets[Text(env[name], "valueFrom.secretKeyRef.name")];
            Text(secret, $"stringData.{Text(env[name], "valueFrom.secretKeyRef.key")}");
        }

        Assert.All(env.Values, e => Assert.False(((YamlMappingNode)e).Children.ContainsKey(new YamlScalarNode("value")), $"{Text(e, "name")} is written in the manifest"));
    }

    [Fact]
    public void The_pod_runs_as_a_non_root_user_on_a_read_only_root_with_writable_tmp_and_state()
    {
        Assert.Equal("true", Text(Pod(), "securityContext.runAsNonRoot"));
        Assert.NotEqual("0", Text(Pod(), "securityContext.runAsUser"));
        Assert.Equal("false", Text(Container(), "securityContext.allowPrivilegeEscalation"));
        Assert.Equal("true", Text(Container(), "securityContext.readOnlyRootFilesystem"));
        Assert.Equal("ALL", Text(Container(), "securityContext.capabilities.drop.0"));
        var mounts = Items(Container(), "volumeMounts").ToDictionary(m => Text(m, "mountPath"), m => Text(m, "name"));
        var volumes = Items(Pod(), "volumes").ToDictionary(v => Text(v, "name"));
        Assert.True(((YamlMappingNode)volumes[mounts["/tmp"]]).Children.ContainsKey(new YamlScalarNode("emptyDir")));
        var claim = Text(volumes[mounts["/var/lib/backup"]], "persistentVolumeClaim.claimName");
        Assert.Equal(claim, Text(Assert.Single(Documents("backup-state-pvc.yaml")), "metadata.name"));
    }

    [Fact]
    public void The_config_in_the_secret_is_valid_and_keeps_its_incremental_snapshot_on_the_state_volume()
    {
        using var tmp = new TempDir("k8s-config");
        var files = (YamlMappingNode)At(Secrets()["backup-config"], "stringData");
        foreach (var (key, value) in files.Children)
            tmp.Write(((YamlScalarNode)key).Value!, ((YamlScalarNode)value).Value!.Replace("/etc/backup/", tmp.Path + "/", StringComparison.Ordinal));
        var credentials = (YamlMappingNode)At(Secrets()["backup-credentials"], "stringData");
        var environment = credentials.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

        var config = ConfigLoader.Parse(File.ReadAllText(tmp.Combine("backup.yaml")), "backup.yaml", tmp.Path,
            environment.GetValueOrDefault, LocalPathChecks.None);

        var incremental = Assert.Single(config.Directories.Values, d => d.Incremental);
        Assert.StartsWith("/var/lib/backup/", incremental.IncrementalSnapshot);
        Assert.All(config.AllSources, s => Assert.NotNull(s.Encryption));
        Assert.Contains(config.Secrets, s => s.Reveal() == environment["MYSQL_BACKUP_PASSWORD"]);
    }
}
