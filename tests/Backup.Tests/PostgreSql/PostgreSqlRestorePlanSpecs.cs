using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Restore;
using Backup.Core.Sources.PostgreSql;

namespace Backup.Tests.PostgreSql;

/// <summary>What <c>backup restore</c> accepts for a postgresql source, decided before anything is read.</summary>
public sealed class PostgreSqlRestorePlanSpecs
{
    private static readonly PostgreSqlSourceConfig Pg = new() { Name = "pg", Databases = ["shop"] };

    private static IRestoreAction Plan(SourceConfig source, string? item, params (string Name, string? Value)[] given) =>
        SourceRestore.Plan(source, new RestoreRequest(item, given.ToDictionary(g => g.Name, g => g.Value)));

    private static string Refusal(SourceConfig source, string? item, params (string, string?)[] given) =>
        Assert.Throws<UsageException>(() => Plan(source, item, given)).Message;

    [Fact]
    public void A_database_restores_into_a_database_or_to_a_file_with_or_without_its_owners()
    {
        Assert.Equal("shop", Plan(Pg, "shop", ("--into", "copy")).Item);
        Assert.Equal("shop", Plan(Pg, "shop", ("--into", "copy"), ("--owner", null), ("--force", null)).Item);
        Assert.Equal("shop", Plan(Pg, "shop", ("--to-file", "-")).Item);
    }

    [Fact]
    public void A_database_needs_one_target_and_owner_only_goes_with_into()
    {
        Assert.Equal("restoring a database needs --into NAME (or --to-file PATH)", Refusal(Pg, "shop"));
        Assert.Equal("give either --into DATABASE or --to-file FILE, not both", Refusal(Pg, "shop", ("--into", "a"), ("--to-file", "/tmp/a")));
        Assert.Equal("--owner is for a database restored --into; --to-file writes the dump as it is stored",
            Refusal(Pg, "shop", ("--to-file", "/tmp/a"), ("--owner", null)));
    }

    [Fact]
    public void Single_pass_goes_with_into_only()
    {
        Assert.Equal("shop", Plan(Pg, "shop", ("--into", "copy"), ("--single-pass", null)).Item);
        Assert.Equal("--single-pass is for a database restored --into; --to-file writes the dump as it is stored",
            Refusal(Pg, "shop", ("--to-file", "/tmp/a"), ("--single-pass", null)));
        Assert.Equal("--single-pass is for a database restored --into; leave it out with --globals",
            Refusal(Pg, null, ("--globals", null), ("--single-pass", null)));
    }

    [Fact]
    public void The_globals_restore_with_globals_onto_the_sources_server_or_to_a_file()
    {
        Assert.Equal(GlobalsArtifact.ItemName, Plan(Pg, null, ("--globals", null)).Item);
        Assert.Equal(GlobalsArtifact.ItemName, Plan(Pg, "server-globals", ("--globals", null), ("--force", null)).Item);
        Assert.Equal(GlobalsArtifact.ItemName, Plan(Pg, null, ("--globals", null), ("--to-file", "/tmp/g.sql")).Item);
        Assert.Equal("--globals restores the item 'server-globals'; leave out 'shop'", Refusal(Pg, "shop", ("--globals", null)));
        Assert.StartsWith("--globals restores the roles and tablespaces onto the source's server; leave out --into",
            Refusal(Pg, null, ("--globals", null), ("--into", "x")));
        Assert.Equal("--owner is for a database restored --into; leave it out with --globals", Refusal(Pg, null, ("--globals", null), ("--owner", null)));
    }

    [Fact]
    public void The_globals_item_restored_into_a_database_is_refused_pointing_to_globals()
    {
        Assert.Equal("'server-globals' holds the server's roles and tablespaces, not a database: restore it with --globals",
            Refusal(Pg, "server-globals", ("--into", "x")));
        // With globals off, a database may have that name.
        Assert.Equal("server-globals", Plan(Pg with { Globals = false }, "server-globals", ("--into", "x")).Item);
    }

    [Fact]
    public void Options_of_other_kinds_are_refused_naming_the_kinds_they_are_for()
    {
        Assert.Equal(
            "sources.postgresql.pg is a postgresql source: restore with --into DATABASE or --to-file FILE (the roles and tablespaces with --globals) " +
            "(--to is for directory sources; --users is for mysqldump sources)",
            Refusal(Pg, "shop", ("--to", "/x"), ("--users", null)));
        Assert.Contains("(--owner and --globals are for postgresql sources)",
            Refusal(new Backup.Core.Sources.MySql.MySqlSourceConfig { Name = "prod", Databases = ["app"] }, "app", ("--into", "a"), ("--owner", null), ("--globals", null)));
    }
}
