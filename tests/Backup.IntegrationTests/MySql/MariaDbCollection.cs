using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.MySql;

/// <summary>All MySQL specs share one MariaDB server and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbServer>
{
    public const string Name = "mariadb";
}
