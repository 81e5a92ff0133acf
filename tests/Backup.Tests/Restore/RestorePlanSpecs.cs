using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Restore;
using Backup.Core.Sources.Directories;
using Backup.Core.Sources.MySql;

namespace Backup.Tests.Restore;

/// <summary>
/// What <c>backup restore</c> accepts for a source, decided by its kind before anything is read: the
/// target it needs, and the options of other kinds refused with what to use instead.
/// </summary>
public sealed class RestorePlanSpecs
{
    private static readonly DirectorySourceConfig Home = new() { Name = "home", Path = "/data" };
    private static readonly MySqlSourceConfig Prod = new() { Name = "prod", Databases = ["app"] };

    private static IRestoreAction Plan(SourceConfig source, string? item, params (string Name, string? Value)[] given) =>
        SourceRestore.Plan(source, new RestoreRequest(item, given.ToDictionary(g => g.Name, g => g.Value)));

    private static string Refusal(SourceConfig source, string? item, params (string, string?)[] given) =>
        Assert.Throws<UsageException>(() => Plan(source, item, given)).Message;

    [Fact]
    public void A_directory_restores_to_a_directory_and_keeps_the_item_asked_for()
    {
        var restore = Plan(Home, "data", ("--to", "/srv/restore"), ("--force", null));

        Assert.Equal("data", restore.Item);
    }

    [Fact]
    public void A_directory_without_a_target_is_refused()
    {
        Assert.Equal("restoring a directory needs --to DIR", Refusal(Home, null));
    }

    [Fact]
    public void An_option_of_another_kind_is_refused_naming_what_to_use_and_the_kind_it_is_for()
    {
        Assert.Equal(
            "sources.directories.home is a directory source: restore it with --to DIR (--into is for mysqldump and postgresql sources; --users is for mysqldump sources)",
            Refusal(Home, null, ("--to", "/x"), ("--into", "app"), ("--users", null)));
        Assert.Equal(
            "sources.mysqldump.prod is a mysqldump source: restore with --into DATABASE or --to-file FILE (--to is for directory sources)",
            Refusal(Prod, "app", ("--to", "/x")));
    }

    [Fact]
    public void Single_pass_is_an_option_of_database_restores_only()
    {
        Assert.Contains("(--single-pass is for mysqldump and postgresql sources)", Refusal(Home, null, ("--to", "/x"), ("--single-pass", null)));
        Assert.Equal("app", Plan(Prod, "app", ("--into", "copy"), ("--single-pass", null)).Item);
    }

    [Fact]
    public void A_database_needs_one_target()
    {
        Assert.Equal("restoring a database needs --into NAME (or --to-file PATH)", Refusal(Prod, "app"));
        Assert.Equal("give either --into DATABASE or --to-file FILE, not both", Refusal(Prod, "app", ("--into", "a"), ("--to-file", "/tmp/a.sql")));
        Assert.Equal("app", Plan(Prod, "app", ("--to-file", "-")).Item);
    }

    [Fact]
    public void Users_restores_the_accounts_item_with_or_without_a_file()
    {
        Assert.Equal("server-accounts", Plan(Prod, null, ("--users", null)).Item);
        Assert.Equal("server-accounts", Plan(Prod, "server-accounts", ("--users", null), ("--to-file", "/tmp/u.sql")).Item);
        Assert.Equal("--users restores the item 'server-accounts'; leave out 'app'", Refusal(Prod, "app", ("--users", null)));
    }
}
