namespace Backup.IntegrationTests.Support;

/// <summary>Specs that share one Ceph RADOS Gateway, started once per test run; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class CephRgwCollection : ICollectionFixture<CephRgw>
{
    public const string Name = "ceph-rgw";
}
