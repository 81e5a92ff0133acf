using Backup.Core.Sources.Sqlite;

namespace Backup.Tests.Sqlite;

/// <summary><c>sources.sqlite.NAME</c>'s own keys: <c>path</c> or <c>paths</c>, and <c>busy_timeout</c>.</summary>
public sealed class SqliteSourceReaderSpecs
{
    [Fact]
    public void One_path_is_one_database_with_the_default_busy_timeout()
    {
        var (config, errors) = SqliteEntry.Read("path: /var/lib/app/data.db");

        Assert.Empty(errors);
        Assert.Equal(["/var/lib/app/data.db"], config!.Paths);
        Assert.False(config.ListedAsPaths);
        Assert.Equal(SqliteSourceConfig.DefaultBusyTimeout, config.BusyTimeout);
        Assert.Equal("sources.sqlite.app", config.YamlPath);
        Assert.Equal("sqlite", config.Kind);
    }

    [Fact]
    public void Paths_are_several_databases_in_their_order()
    {
        var (config, errors) = SqliteEntry.Read("""
            paths:
              - /srv/b/users.db
              - /srv/a/orders.sqlite
            busy_timeout: 2m
            """);

        Assert.Empty(errors);
        Assert.Equal(["/srv/b/users.db", "/srv/a/orders.sqlite"], config!.Paths);
        Assert.True(config.ListedAsPaths);
        Assert.Equal(TimeSpan.FromMinutes(2), config.BusyTimeout);
    }

    [Fact]
    public void Path_and_paths_together_are_refused_at_paths()
    {
        var (config, errors) = SqliteEntry.Read("""
            path: /a.db
            paths: [/b.db]
            """);

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.paths", 2, "either `path`");
    }

    [Fact]
    public void An_entry_without_a_database_says_which_keys_name_one()
    {
        var (config, errors) = SqliteEntry.Read("busy_timeout: 5s");

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app", 1, "needs `path`");
    }

    [Fact]
    public void An_empty_list_is_refused()
    {
        var (config, errors) = SqliteEntry.Read("paths: []");

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.paths", 1, "lists no database file");
    }

    [Theory]
    [InlineData("data/app.db")]
    [InlineData(":memory:")]
    [InlineData("file:/srv/app.db?mode=ro")]
    public void A_path_that_is_not_absolute_is_refused_at_its_own_line(string path)
    {
        var (config, errors) = SqliteEntry.Read($"""
            paths:
              - /srv/ok.db
              - "{path}"
            """);

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.paths[1]", 3, "is not an absolute path");
    }

    [Fact]
    public void A_path_that_names_a_folder_is_refused()
    {
        var (config, errors) = SqliteEntry.Read("path: /srv/app/");

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.path", 1, "names a folder");
    }

    [Fact]
    public void Two_files_with_one_name_are_refused_at_the_second_naming_the_first()
    {
        var (config, errors) = SqliteEntry.Read("""
            paths:
              - /srv/a/data.db
              - /srv/b/other.db
              - /srv/c/data.db
            """);

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.paths[2]", 4, "as sources.sqlite.app.paths[0] ('/srv/a/data.db') has");
        Assert.Single(errors);
    }

    [Fact]
    public void The_same_file_listed_twice_is_refused_once_as_a_repeat()
    {
        var (config, errors) = SqliteEntry.Read("paths: [/srv/a.db, /srv/a.db]");

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.paths[1]", 1, "is listed twice");
    }

    [Theory]
    [InlineData("soon", "is not a duration")]
    [InlineData("2h", "is longer than 1h")]
    public void A_wrong_busy_timeout_is_refused(string text, string fragment)
    {
        var (config, errors) = SqliteEntry.Read($"""
            path: /srv/a.db
            busy_timeout: {text}
            """);

        Assert.Null(config);
        SqliteEntry.AssertError(errors, "sources.sqlite.app.busy_timeout", 2, fragment);
    }

    [Fact]
    public void A_busy_timeout_of_zero_tries_once()
    {
        var (config, errors) = SqliteEntry.Read("""
            path: /srv/a.db
            busy_timeout: 0
            """);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.Zero, config!.BusyTimeout);
    }
}
