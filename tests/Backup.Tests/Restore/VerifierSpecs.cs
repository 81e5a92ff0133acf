using Backup.Core.Catalog;
using Backup.Core.Restore;
using Backup.Tests.Fakes;

namespace Backup.Tests.Restore;

public sealed class VerifierSpecs
{
    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private static readonly DateTimeOffset T0 = ArtifactStore.T0;

    private async Task<VerifyReport> VerifyAsync()
    {
        var listing = await new BackupCatalog(_store.Destination).ReadAsync(null, null, CancellationToken.None);
        return await new Verifier(_store.Destination, ArtifactStore.Codecs).VerifyAsync(listing, CancellationToken.None);
    }

    [Fact]
    public async Task Intact_dumps_and_archives_verify()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump(new string('x', 300_000)));
        _store.Put("home", "data", T0, TarBytes.Of(TarBytes.Dir("data/"), TarBytes.File("data/a", "hello")), "tar");

        var report = await VerifyAsync();

        Assert.True(report.Ok, string.Join("\n", report.Artifacts.SelectMany(a => a.Problems)));
        Assert.Equal(2, report.Artifacts.Count);
        Assert.All(report.Artifacts, a => Assert.Equal(a.Entry.Manifest.Sha256, a.Sha256));
    }

    [Fact]
    public async Task A_flipped_byte_fails_with_a_checksum_mismatch_naming_the_artifact()
    {
        var manifest = _store.Put("prod", "shop", T0, ArtifactStore.Dump("insert into t values (1);"));
        _store.FlipByte(manifest.Key, 20);

        var report = await VerifyAsync();

        Assert.False(report.Ok);
        var failed = Assert.Single(report.Artifacts);
        Assert.Equal(manifest.Key, failed.Entry.ObjectKey);
        Assert.Contains("SHA-256 of the stored object", Assert.Single(failed.Problems));
    }

    [Fact]
    public async Task A_truncated_object_fails_on_its_size_which_is_the_one_problem_named()
    {
        var manifest = _store.Put("home", "data", T0, TarBytes.Of(TarBytes.File("data/a", new string('a', 9000))), "tar");
        _store.Write(manifest.Key, _store.Destination.Objects[manifest.Key][..4096]);

        var failed = Assert.Single((await VerifyAsync()).Artifacts);

        // The tar check is never shown a clean end of bytes that are not the artifact, so it says nothing more.
        Assert.Contains($"4096 bytes but its manifest says {manifest.StoredSize}", Assert.Single(failed.Problems));
    }

    [Fact]
    public async Task A_dump_without_its_completion_trailer_fails()
    {
        _store.Put("prod", "shop", T0, "-- MariaDB dump\ninsert into t values (1"u8.ToArray());

        var failed = Assert.Single((await VerifyAsync()).Artifacts);

        Assert.Contains("does not end with '-- Dump completed'", Assert.Single(failed.Problems));
    }

    [Fact]
    public async Task A_decryption_failure_is_reported_as_such()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("x"), encryption: "gpg");

        var failed = Assert.Single((await VerifyAsync()).Artifacts);

        Assert.Equal("decryption (gpg): gpg: decryption failed: No secret key", Assert.Single(failed.Problems));
    }

    [Fact]
    public async Task An_artifact_without_its_manifest_is_named_as_an_orphan_and_fails_nothing()
    {
        // What a run killed between storing an artifact and its manifest leaves: never a backup.
        var manifest = _store.Put("prod", "shop", T0, ArtifactStore.Dump("x"));
        await _store.Destination.DeleteAsync(Manifest.KeyFor(manifest.Key), CancellationToken.None);
        _store.Put("prod", "shop", T0.AddDays(1), ArtifactStore.Dump("y"));

        var report = await VerifyAsync();

        Assert.True(report.Ok);
        Assert.Single(report.Artifacts);
        var orphan = Assert.Single(report.CatalogProblems);
        Assert.Equal(manifest.Key, orphan.Key);
        Assert.True(orphan.Orphan && orphan.Superseded);
        Assert.True(orphan.Fails(strict: true));
    }

    [Fact]
    public async Task An_orphan_that_is_the_newest_of_its_item_fails_verification_the_last_run_did_not_finish()
    {
        _store.Put("prod", "shop", T0, ArtifactStore.Dump("x"));
        var newest = _store.Put("prod", "shop", T0.AddDays(1), ArtifactStore.Dump("y"));
        await _store.Destination.DeleteAsync(Manifest.KeyFor(newest.Key), CancellationToken.None);
        // Another item's later backup does not supersede it.
        _store.Put("prod", "other", T0.AddDays(2), ArtifactStore.Dump("z"));

        var report = await VerifyAsync();

        Assert.False(report.Ok);
        var orphan = Assert.Single(report.CatalogProblems);
        Assert.Equal(newest.Key, orphan.Key);
        Assert.False(orphan.Superseded);
        Assert.Contains("the last run was interrupted", orphan.Message);
    }

    [Fact]
    public async Task An_incremental_whose_base_is_gone_fails_naming_the_missing_link()
    {
        var tar = TarBytes.Of(TarBytes.Dir("data/"));
        var full = _store.Put("home", "data", T0, tar, "tar", new ChainInfo("c", 0, null));
        _store.Put("home", "data", T0.AddDays(1), tar, "tar", new ChainInfo("c", 1, full.Key));
        await _store.Destination.DeleteAsync(full.Key, CancellationToken.None);

        var report = await VerifyAsync();

        var failed = Assert.Single(report.Artifacts);
        Assert.Contains($"'{full.Key}'", Assert.Single(failed.Problems));
        Assert.Equal(full.Key, Assert.Single(report.CatalogProblems).Key);
    }
}
