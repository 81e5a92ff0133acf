namespace Backup.IntegrationTests.Support;

/// <summary>Specs that share one s3rver; xunit runs them one after another, so outage specs may stop it.</summary>
[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3Server>
{
    public const string Name = "s3rver";
}
