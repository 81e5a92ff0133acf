using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>Turns the parsed YAML tree into a <see cref="BackupConfig"/>, recording every problem.</summary>
internal sealed class ConfigReader(LoadContext context)
{
    public BackupConfig Read(YamlMappingNode rootNode)
    {
        var root = new MappingReader(context, "", rootNode, YamlNodes.LineOf(rootNode));
        root.AllowOnly(KeySchema.TopLevel);

        // Destinations and encryptions first: sources refer to them by name.
        var destinationSection = root.Mapping("destinations");
        var encryptionSection = root.Mapping("encryptions");
        var notificationSection = root.Mapping("notifications");
        var destinations = DestinationsReader.Read(destinationSection);
        var encryptions = EncryptionsReader.Read(encryptionSection);
        var notifications = NotificationsReader.Read(notificationSection);

        var names = new DefinedNames(
            context.Errors,
            destinationSection?.Keys().Select(k => k.Name).ToList() ?? [],
            encryptionSection?.Keys().Select(k => k.Name).ToList() ?? [],
            notificationSection?.Keys().Select(k => k.Name).ToList() ?? []);
        var sources = new SourcesReader(names).Read(root);
        var hooks = HooksReader.Read(root);
        HooksReader.RefuseSecrets(context);
        var metricsFile = ReadMetricsFile(root);

        return new BackupConfig
        {
            AllSources = sources,
            Destinations = destinations,
            Encryptions = encryptions,
            Hooks = hooks,
            Notifications = notifications,
            MetricsFile = metricsFile,
            Secrets = context.SecretValues.Select(value => new Secret(value)).ToList(),
            SecretEnvironmentVariables = new HashSet<string>(context.SecretVariables, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// <c>metrics_file</c>: where each run leaves its Prometheus metrics (Metrics/). Checked like the
    /// incremental snapshot, a file the first run creates: its folder must exist and take files.
    /// </summary>
    private static string? ReadMetricsFile(MappingReader root)
    {
        if (root.String("metrics_file") is not { } path)
            return null;
        if (path.Trim().Length == 0)
        {
            root.Errors.Add(root.PathOf("metrics_file"), root.LineOf("metrics_file"),
                "must name a file, e.g. /var/lib/prometheus/node-exporter/backup.prom; remove the key for no metrics file");
            return null;
        }

        root.Context.Paths.CreatableFile(root.PathOf("metrics_file"), root.LineOf("metrics_file"), "metrics_file", path);
        return path;
    }
}
