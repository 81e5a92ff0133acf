using Backup.Core.Sources.Sqlite;

namespace Backup.Tests.Sqlite;

/// <summary>A database's item name is its file name, which must be unique within its source.</summary>
public sealed class SqliteItemNameSpecs
{
    [Theory]
    [InlineData("/var/lib/app/data.db", "data.db")]
    [InlineData("/srv/orders.sqlite3", "orders.sqlite3")]
    [InlineData("/srv/with space/my db", "my db")]
    [InlineData("/noextension", "noextension")]
    public void An_item_is_named_after_the_file_without_its_folder(string path, string name) =>
        Assert.Equal(name, SqliteItemName.Of(path));

    [Fact]
    public void Repeats_name_each_later_file_with_an_earlier_name_and_that_earlier_one()
    {
        var repeats = SqliteItemName.Repeats(["/a/x.db", "/b/y.db", "/c/x.db", "/d/y.db", "/e/x.db"]);

        Assert.Equal([(2, 0), (3, 1), (4, 0)], repeats);
    }

    [Fact]
    public void Names_differing_only_in_case_are_different_items() =>
        Assert.Empty(SqliteItemName.Repeats(["/a/Data.db", "/b/data.db"]));
}
