using Backup.Core.Sources.Directories;
using Backup.Tests.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Sources;

/// <summary>
/// The chain record holds the checksum of the snapshot it was written with: a snapshot that is not
/// that one (a crash between saving the record and the snapshot) starts a new chain, never a link
/// made against a snapshot older than the record's base.
/// </summary>
public sealed class IncrementalSnapshotSpecs : IDisposable
{
    private readonly TempDir _dir = new("incremental-snapshot");
    private readonly RecordingEventLog _log = new();
    private int _runs;

    public void Dispose() => _dir.Dispose();

    private string Snapshot => _dir.Combine("home.snar");

    private string Record => Snapshot + ".chain.json";

    private (IncrementalSnapshot State, bool HadOldSnapshot) Run(bool commit = true)
    {
        var state = IncrementalSnapshot.Open(Snapshot, null, TimeProvider.System, _log, "sources.directories.home");
        var workingCopy = state.PrepareWorkingCopy();
        var hadOld = File.Exists(workingCopy);
        File.WriteAllText(workingCopy, $"tar's snapshot after run {++_runs}");
        if (commit)
            state.Commit($"home/data/data-run{_runs}-L{state.Next.Level}.tar");
        return (state, hadOld);
    }

    [Fact]
    public void A_record_whose_snapshot_did_not_follow_starts_a_new_chain_with_a_full_archive()
    {
        var first = Run().State;
        var snapshotAfterRun1 = File.ReadAllBytes(Snapshot);
        Run();

        // Run 2's commit stopped between the record and the snapshot.
        File.WriteAllBytes(Snapshot, snapshotAfterRun1);
        var (state, hadOld) = Run();

        Assert.Equal((0, null), (state.Next.Level, state.Next.BaseKey));
        Assert.NotEqual(first.Next.Id, state.Next.Id);
        Assert.False(hadOld);
        var warning = Assert.Single(_log.Warnings);
        Assert.Equal($"sources.directories.home.incremental_snapshot: '{Snapshot}' is not the snapshot its chain record was written with "
                     + $"(a run was stopped between saving the two); starting a new full archive (chain {state.Next.Id})", warning);
        Assert.Equal(1, Run().State.Next.Level);
    }

    [Fact]
    public void A_record_and_its_snapshot_go_on_together()
    {
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(_ => Run().State.Next.Level));
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public void A_record_of_an_earlier_version_without_a_checksum_goes_on_with_the_snapshot_there()
    {
        File.WriteAllText(Snapshot, "tar's snapshot of an earlier version");
        File.WriteAllText(Record, """{"Id":"20261113T020000Z-0123abcd","Level":4,"LastKey":"home/data/data-20261117T020000.000Z-L4.tar"}""");

        var (state, hadOld) = Run();

        Assert.Equal(("20261113T020000Z-0123abcd", 5, "home/data/data-20261117T020000.000Z-L4.tar"), (state.Next.Id, state.Next.Level, state.Next.BaseKey));
        Assert.True(hadOld);
        Assert.Empty(_log.Warnings);
    }
}
