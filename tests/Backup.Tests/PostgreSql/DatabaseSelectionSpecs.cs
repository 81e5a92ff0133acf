using Backup.Core.Sources.PostgreSql;

namespace Backup.Tests.PostgreSql;

public sealed class DatabaseSelectionSpecs
{
    private static readonly PostgreSqlDatabase[] Server =
    [
        new("closed", AllowsConnections: false, IsTemplate: false),
        new("postgres", true, false),
        new("shop", true, false),
        new("side", true, false),
        new("template0", false, true),
        new("template1", true, true),
        new("tmpl_shop", true, true),
    ];

    [Fact]
    public void Every_database_that_allows_connections_and_is_no_template_less_the_excluded()
    {
        var selection = DatabaseSelection.Of(Server, PostgreSqlSourceConfig.DefaultExcludedDatabases);

        Assert.Equal(["postgres", "shop", "side"], selection.Chosen);
        Assert.Equal(["closed"], selection.NotConnectable);
    }

    [Fact]
    public void An_exclusion_list_replaces_the_default_and_names_match_exactly()
    {
        var selection = DatabaseSelection.Of(Server, ["postgres", "Shop", "closed"]);

        Assert.Equal(["shop", "side"], selection.Chosen);
        Assert.Empty(selection.NotConnectable);
    }
}
