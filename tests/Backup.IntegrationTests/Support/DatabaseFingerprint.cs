using Backup.Core.Sources.MySql;

namespace Backup.IntegrationTests.Support;

/// <summary>What makes two databases "the same" for the round-trip specs: table checksums and object counts.</summary>
public static class DatabaseFingerprint
{
    public static async Task<Dictionary<string, string>> ChecksumsAsync(MariaDbServer server, string database)
    {
        var tables = await server.RootSqlAsync(
            $"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {MySqlText.Literal(database)} AND TABLE_TYPE = 'BASE TABLE'");
        var sums = new Dictionary<string, string>();
        foreach (var table in tables.Select(t => t[0]))
        {
            var row = await server.RootSqlAsync($"CHECKSUM TABLE {MySqlText.Identifier(database)}.{MySqlText.Identifier(table)} EXTENDED");
            sums[table] = row[0][1];
        }

        return sums;
    }

    public static async Task<string> ObjectCountsAsync(MariaDbServer server, string database)
    {
        var name = MySqlText.Literal(database);
        var row = (await server.RootSqlAsync(
            $"SELECT (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {name} AND ROUTINE_TYPE = 'PROCEDURE')," +
            $" (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {name} AND ROUTINE_TYPE = 'FUNCTION')," +
            $" (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {name})," +
            $" (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = {name})," +
            $" (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {name})"))[0];
        return $"{row[0]} procedure, {row[1]} function, {row[2]} triggers, {row[3]} views, {row[4]} events";
    }

    /// <summary>Asserts that <paramref name="restored"/> has the same tables (checksums) and objects as <paramref name="original"/>.</summary>
    public static async Task AssertSameAsync(MariaDbServer server, string original, string restored)
    {
        var expected = await ChecksumsAsync(server, original);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await ChecksumsAsync(server, restored));
        Assert.Equal(await ObjectCountsAsync(server, original), await ObjectCountsAsync(server, restored));
    }
}
