using Backup.Core.Catalog;
using Backup.Core.Retention;
using static Backup.Tests.Retention.RetentionText;

namespace Backup.Tests.Retention;

/// <summary>A kept incremental keeps its chain down to level 0; chains are deleted newest link first.</summary>
public sealed class RetentionChainSpecs
{
    [Fact]
    public void A_kept_level_2_keeps_levels_1_and_0()
    {
        SeriesArtifact[] history =
        [
            Link("a", 0, "2026-01-10T10:00Z"), Link("a", 1, "2026-01-20T10:00Z"), Link("a", 2, "2026-01-31T10:00Z"),
            Link("a", 3, "2026-02-01T10:00Z"), Link("b", 0, "2026-02-05T10:00Z"), Link("b", 1, "2026-02-06T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_monthly 2"), history);

        Assert.Equal(["b-L1", "b-L0", "a-L2", "a-L1", "a-L0"], Kept(plan));
        Assert.Equal(["a-L3"], plan.Deletions.Select(a => a.Key));
        Assert.Equal(["keep_monthly 2026-01"], Reasons(plan, "a-L2"));
        Assert.Equal(["base of a-L2"], Reasons(plan, "a-L1"));
        Assert.Equal(["base of a-L1"], Reasons(plan, "a-L0"));
        Assert.Equal(["base of b-L1"], Reasons(plan, "b-L0"));
    }

    [Fact]
    public void A_chain_is_deleted_newest_link_first()
    {
        SeriesArtifact[] history =
        [
            Link("a", 0, "2026-01-01T10:00Z"), Link("a", 1, "2026-01-02T10:00Z"), Link("a", 2, "2026-01-03T10:00Z"),
            Link("a", 3, "2026-01-04T10:00Z"), Link("b", 0, "2026-01-05T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), history);

        Assert.Equal(["b-L0"], Kept(plan));
        Assert.Equal(["a-L3", "a-L2", "a-L1", "a-L0"], plan.Deletions.Select(a => a.Key));
    }

    [Fact]
    public void A_link_is_deleted_before_its_base_even_when_a_clock_made_it_look_older()
    {
        // The host's clock went back an hour between level 0 and level 1.
        SeriesArtifact[] history =
        [
            Link("a", 0, "2026-01-10T12:00Z"), Link("a", 1, "2026-01-10T11:00Z"), Link("a", 2, "2026-01-11T10:00Z"),
            Link("b", 0, "2026-01-12T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), history);

        Assert.Equal(["b-L0", "a-L2", "a-L0", "a-L1"], plan.Decisions.Select(d => d.Artifact.Key));
        Assert.Equal(["a-L2", "a-L1", "a-L0"], plan.Deletions.Select(a => a.Key));
    }

    [Fact]
    public void A_chain_cannot_be_thinned_every_link_below_a_kept_one_stays()
    {
        var history = Enumerable.Range(0, 5).Select(level => Link("a", level, $"2026-01-0{level + 1}T10:00Z")).ToArray();

        var plan = RetentionPlanner.Plan(Policy("keep_daily 2"), history);

        Assert.Equal(["a-L4", "a-L3", "a-L2", "a-L1", "a-L0"], Kept(plan));
        Assert.Equal(["base of a-L3"], Reasons(plan, "a-L2"));
    }

    [Fact]
    public void A_repeated_level_that_nothing_builds_on_is_deleted_alone()
    {
        // A crash before the chain record made the next run repeat level 1; level 2 was built on the repeat.
        SeriesArtifact[] history =
        [
            Link("a", 0, "2026-01-01T10:00Z"),
            Link("a", 1, "2026-01-02T10:00Z", key: "a-L1-first"),
            Link("a", 1, "2026-01-02T11:00Z", key: "a-L1-again"),
            Link("a", 2, "2026-01-03T10:00Z", baseKey: "a-L1-again"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), history);

        Assert.Equal(["a-L2", "a-L1-again", "a-L0"], Kept(plan));
        Assert.Equal(["a-L1-first"], plan.Deletions.Select(a => a.Key));
    }

    [Fact]
    public void A_base_of_several_kept_links_names_each()
    {
        SeriesArtifact[] history =
        [
            Link("a", 0, "2026-01-01T10:00Z"),
            Link("a", 1, "2026-01-02T10:00Z", key: "a-L1-first"),
            Link("a", 1, "2026-01-02T11:00Z", key: "a-L1-again"),
            Link("a", 2, "2026-01-03T10:00Z", baseKey: "a-L1-again"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 3"), history);

        Assert.Equal(["base of a-L1-again", "base of a-L1-first"], Reasons(plan, "a-L0"));
        Assert.Equal(["keep_last #2", "base of a-L2"], Reasons(plan, "a-L1-again"));
    }

    [Fact]
    public void A_kept_chain_whose_base_is_missing_is_kept_whole()
    {
        // Level 0 is not in the series (say its manifest cannot be read): nothing of the chain may go.
        SeriesArtifact[] history =
        [
            Link("c", 1, "2026-01-02T10:00Z"), Link("c", 2, "2026-01-03T10:00Z"), Link("c", 3, "2026-01-04T10:00Z"),
            Link("c", 4, "2026-01-05T10:00Z"), Full("2026-01-06T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 2"), history);

        Assert.Equal(["2026-01-06T10:00Z", "c-L4", "c-L3", "c-L2", "c-L1"], Kept(plan));
        Assert.Empty(plan.Deletions);
        Assert.Equal(["chain c kept whole: the base of 'c-L1', 'c-L0', is missing"], Reasons(plan, "c-L3").Skip(1));
        Assert.Equal(["chain c kept whole: the base of 'c-L1', 'c-L0', is missing"], Reasons(plan, "c-L1").Skip(1));
        Assert.Equal(KeepRule.ChainKeptWhole, plan.Decisions[^1].Reasons[^1].Rule);
    }

    [Fact]
    public void A_chain_whose_base_is_missing_and_that_no_rule_keeps_is_deleted_whole_newest_first()
    {
        SeriesArtifact[] history =
        [
            Link("c", 1, "2026-01-02T10:00Z"), Link("c", 2, "2026-01-03T10:00Z"), Full("2026-01-06T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), history);

        Assert.Equal(["c-L2", "c-L1"], plan.Deletions.Select(a => a.Key));
    }

    [Fact]
    public void A_chain_begun_before_chain_records_is_kept_whole()
    {
        SeriesArtifact[] history =
        [
            new("d-L1", Instant("2026-01-02T10:00Z"), new ChainInfo("d", 1, null)),
            Link("d", 2, "2026-01-03T10:00Z"), Link("d", 3, "2026-01-04T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 1"), history);

        Assert.Empty(plan.Deletions);
        Assert.Equal(["base of d-L3", "chain d kept whole: level 1 ('d-L1') records no base (its earlier links were not made by this tool)"],
            Reasons(plan, "d-L2"));
    }

    [Fact]
    public void A_base_that_is_not_the_link_below_of_the_same_chain_breaks_it()
    {
        SeriesArtifact[] history =
        [
            Link("f", 0, "2026-01-01T10:00Z"), Link("e", 1, "2026-01-02T10:00Z", baseKey: "f-L0"),
            Link("e", 2, "2026-01-03T10:00Z"), Full("2026-01-04T10:00Z"),
        ];

        var plan = RetentionPlanner.Plan(Policy("keep_last 2"), history);

        Assert.Equal(["2026-01-04T10:00Z", "e-L2", "e-L1"], Kept(plan));
        Assert.Equal(["f-L0"], plan.Deletions.Select(a => a.Key));
        Assert.Equal(["base of e-L2", "chain e kept whole: the base of 'e-L1', 'f-L0', is not level 0 of that chain"], Reasons(plan, "e-L1"));
    }

    [Fact]
    public void An_artifact_made_from_a_catalog_entry_links_by_its_manifest_key()
    {
        var manifest = new Manifest
        {
            ToolVersion = "test", Source = "home", SourceKind = "directories", Item = "data", Key = "home/data/data-x-L1.tar",
            Kind = "incremental", Created = Instant("2026-01-02T10:00Z"), Content = "tar", Compression = "none",
            Encryption = "none", StoredSize = 10, Sha256 = "00", RawSize = 10, Chain = new ChainInfo("x", 1, "home/data/data-x-L0.tar"),
        };
        var entry = new CatalogEntry(manifest, "sources.directories.home.temp", "data-x-L1.tar");

        var artifact = SeriesArtifact.From(entry);

        Assert.Equal("home/data/data-x-L1.tar", artifact.Key);
        Assert.Equal(manifest.Created, artifact.Created);
        Assert.Equal(manifest.Chain, artifact.Chain);
        Assert.Same(entry, artifact.Entry);
    }
}
