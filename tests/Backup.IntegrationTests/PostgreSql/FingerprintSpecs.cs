using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.PostgreSql;

/// <summary>The round-trip specs' yardstick, checked against the plain tools: it sees what a faithful copy keeps, and a change.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class FingerprintSpecs(PostgreSqlServer server)
{
    [Fact]
    public async Task A_database_fingerprinted_twice_equals_itself_and_covers_the_fixture()
    {
        var first = await PgFingerprint.OfAsync(server, PostgreSqlServer.Shop);
        var second = await PgFingerprint.OfAsync(server, PostgreSqlServer.Shop);

        first.AssertSame(second);
        Assert.Equal("100000 rows", first.Tables["Mixed Case.Bulk Rows"][..11]);
        Assert.Equal(["audit.events_2024", "audit.events_2025", "audit.events_other"],
            first.Tables.Keys.Where(t => t.StartsWith("audit.events_", StringComparison.Ordinal)));
        Assert.Contains("shop.customer_totals", first.Tables.Keys);
        foreach (var kind in new[] { "schemas: shop", "relations: v shop.paid_orders", "relations: m shop.customer_totals", "relations: p audit.events",
                     "sequences: shop.invoice_no", "functions: f audit.log_order()", "functions: p shop.cancel_order(", "triggers: CREATE TRIGGER orders_audit",
                     "types: e shop.order_status new,paid,on hold,shipped,cancelled", "types: d shop.money_amount", "types: c shop.address",
                     "comments: shop.customers 0 Kunden" })
            Assert.True(first.Objects.Any(o => o.StartsWith(kind, StringComparison.Ordinal)), $"nothing starts with '{kind}' in: {string.Join(" | ", first.Objects)}");
        Assert.Contains(first.Ownership, o => o.StartsWith("owners: relation shop.orders app_owner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dump_restored_by_the_plain_tools_has_the_same_fingerprint_and_a_changed_row_changes_it()
    {
        var copy = await server.CreateDatabaseAsync("fp_copy");
        try
        {
            Tools.Sh($"'{PostgreSqlServer.Tool("pg_dump")}' -Fc -d {PostgreSqlServer.Shop} | '{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error -d {copy}",
                environment: server.AdminEnvironment.ToDictionary());
            var original = await PgFingerprint.OfAsync(server, PostgreSqlServer.Shop);
            var restored = await PgFingerprint.OfAsync(server, copy);
            original.AssertSame(restored);

            await server.SqlAsync("UPDATE shop.blobs SET data = set_byte(data, 200, 0) WHERE id = 1", copy);
            var changed = await PgFingerprint.OfAsync(server, copy);

            Assert.NotEqual(original.Tables["shop.blobs"], changed.Tables["shop.blobs"]);
            Assert.Equal(original.Tables["shop.texts"], changed.Tables["shop.texts"]);
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => original.AssertSame(changed));
        }
        finally
        {
            await server.DropDatabaseAsync(copy);
        }
    }

    [Fact]
    public async Task The_fingerprint_sees_a_changed_object_and_a_changed_owner()
    {
        var copy = await server.CreateDatabaseAsync("fp_objects");
        try
        {
            Tools.Sh($"'{PostgreSqlServer.Tool("pg_dump")}' -Fc -d {PostgreSqlServer.Shop} | '{PostgreSqlServer.Tool("pg_restore")}' --exit-on-error -d {copy}",
                environment: server.AdminEnvironment.ToDictionary());
            var original = await PgFingerprint.OfAsync(server, copy);

            await server.SqlAsync("ALTER TABLE shop.texts OWNER TO postgres", copy);
            var owner = await PgFingerprint.OfAsync(server, copy);
            await server.SqlAsync("SELECT setval('shop.invoice_no', 5000)", copy);
            var sequence = await PgFingerprint.OfAsync(server, copy);

            original.AssertSame(owner, ownership: false);
            Assert.NotEqual(original.Ownership, owner.Ownership);
            Assert.NotEqual(owner.Objects, sequence.Objects);
        }
        finally
        {
            await server.DropDatabaseAsync(copy);
        }
    }
}
