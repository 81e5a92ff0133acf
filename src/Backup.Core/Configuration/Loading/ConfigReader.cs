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

        return new BackupConfig
        {
            AllSources = sources,
            Destinations = destinations,
            Encryptions = encryptions,
            Hooks = hooks,
            Notifications = notifications,
            Secrets = context.SecretValues.Select(value => new Secret(value)).ToList(),
            SecretEnvironmentVariables = new HashSet<string>(context.SecretVariables, StringComparer.Ordinal),
        };
    }
}
