using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>Specs that need MariaDB and the S3 server together (their own instances, run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<MariaDbServer>, ICollectionFixture<S3Server>
{
    public const string Name = "mariadb+s3rver";
}
