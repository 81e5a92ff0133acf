namespace Backup.IntegrationTests.Support;

/// <summary>Specs that share one maildev; each sends with a subject of its own (a run id), so they never read each other's mail.</summary>
[CollectionDefinition(Name)]
public sealed class MailDevCollection : ICollectionFixture<MailDev>
{
    public const string Name = "maildev";
}
