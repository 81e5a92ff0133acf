using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>Specs that need PostgreSQL and the S3 server together (their own instances, run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlServicesCollection : ICollectionFixture<PostgreSqlServer>, ICollectionFixture<S3Server>
{
    public const string Name = "postgresql+s3rver";
}
