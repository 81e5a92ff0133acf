using System.Diagnostics;
using Backup.Core.Sources.Sqlite;
using Backup.Tests.Support;

namespace Backup.Tests.Sqlite;

/// <summary>
/// Where copies are made (<see cref="CopyFolder"/>): 0600 files created exclusively, in <c>temp</c> or in a
/// private folder of the system's temp folder, removed when done and, when a killed run left them, by the next.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CopyFolderSpecs : IDisposable
{
    private readonly TempDir _tmp = new("sqlite-copies");

    public void Dispose() => _tmp.Dispose();

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    /// <summary>The pid of a process that ran and is gone, as a killed run's is.</summary>
    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void In_temp_a_copy_is_an_empty_0600_partial_file_named_for_its_source_and_item_and_goes_when_disposed()
    {
        var folder = new CopyFolder(_tmp.Path);

        string path;
        using (var copy = folder.Create("app", "data.db"))
        {
            path = copy.Path;
            Assert.Equal(_tmp.Path, Path.GetDirectoryName(path));
            Assert.StartsWith("backup-sqlite.app.data.db.", Path.GetFileName(path));
            Assert.EndsWith($".{Environment.ProcessId}.partial", path);
            Assert.Equal(0, new FileInfo(path).Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(path));
            Assert.Contains(path, TemporaryCopy.LivePaths);
        }

        Assert.False(File.Exists(path));
        Assert.DoesNotContain(path, TemporaryCopy.LivePaths);
    }

    [Fact]
    public void Without_temp_a_copy_is_made_in_a_private_folder_of_its_own_which_goes_with_it()
    {
        var system = _tmp.CreateDirectory("system-temp");
        var folder = new CopyFolder(null, system);

        string path;
        using (var copy = folder.Create("app", "data.db"))
        {
            path = copy.Path;
            var privateFolder = Path.GetDirectoryName(path)!;
            Assert.Equal(system, Path.GetDirectoryName(privateFolder));
            Assert.StartsWith($"backup-sqlite-{Environment.ProcessId}-", Path.GetFileName(privateFolder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(privateFolder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(path));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(system));
    }

    [Fact]
    public void Two_copies_of_one_item_at_once_get_names_of_their_own()
    {
        var folder = new CopyFolder(_tmp.Path);

        using var first = folder.Create("app", "data.db");
        using var second = folder.Create("app", "data.db");

        Assert.NotEqual(first.Path, second.Path);
    }

    [Fact]
    public void A_name_planted_where_the_copy_goes_is_never_followed()
    {
        // The private folder's name cannot be guessed; in temp, the tag of ForOneWriter makes the name
        // unique, and CreateNew refuses even an existing one. What must hold: an existing file is not reused.
        var folder = new CopyFolder(_tmp.Path);
        using var copy = folder.Create("app", "data.db");
        var victim = _tmp.Write("victim", "keep");

        File.Delete(copy.Path);
        File.CreateSymbolicLink(copy.Path, victim);
        Assert.ThrowsAny<Exception>(() => TemporaryCopy.Create(copy.Path, privateFolder: null));
        Assert.Equal("keep", File.ReadAllText(victim));
    }

    [Fact]
    public void Leftovers_of_dead_runs_in_temp_are_removed_and_everything_else_stays()
    {
        var dead = DeadPid();
        var leftover = _tmp.Write($"backup-sqlite.app.data.db.0123456789ab.{dead}.partial", "old copy");
        var live = _tmp.Write($"backup-sqlite.app.data.db.0123456789ab.{Environment.ProcessId}.partial", "copy in progress");
        var artifact = _tmp.Write("data.db-20260101T000000.000Z.sqlite.zst", "stored artifact");
        var otherPartial = _tmp.Write($"data.db-20260101T000000.000Z.sqlite.zst.ab.{dead}.partial", "the temp sink's own");

        var removed = new CopyFolder(_tmp.Path).RemoveLeftovers();

        Assert.Equal([leftover], removed);
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(artifact));
        Assert.True(File.Exists(otherPartial));
    }

    [Fact]
    public void Private_folders_of_dead_runs_are_removed_and_those_of_live_ones_stay()
    {
        var system = _tmp.CreateDirectory("system-temp");
        var dead = DeadPid();
        var deadFolder = _tmp.CreateDirectory($"system-temp/backup-sqlite-{dead}-abc123");
        File.WriteAllText(Path.Combine(deadFolder, $"data.db.{dead}.partial"), "old copy");
        var liveFolder = _tmp.CreateDirectory($"system-temp/backup-sqlite-{Environment.ProcessId}-def456");
        File.WriteAllText(Path.Combine(liveFolder, $"data.db.{Environment.ProcessId}.partial"), "copy in progress");
        var unrelated = _tmp.CreateDirectory("system-temp/backup-sqlite-notapid");

        var removed = new CopyFolder(null, system).RemoveLeftovers();

        Assert.Equal([deadFolder], removed);
        Assert.False(Directory.Exists(deadFolder));
        Assert.True(Directory.Exists(liveFolder));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public void A_dead_runs_folder_holding_something_else_keeps_that_and_itself()
    {
        var system = _tmp.CreateDirectory("system-temp");
        var dead = DeadPid();
        var folder = _tmp.CreateDirectory($"system-temp/backup-sqlite-{dead}-abc123");
        File.WriteAllText(Path.Combine(folder, $"data.db.{dead}.partial"), "old copy");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not ours");

        var removed = new CopyFolder(null, system).RemoveLeftovers();

        Assert.Empty(removed);
        Assert.False(File.Exists(Path.Combine(folder, $"data.db.{dead}.partial")));
        Assert.True(File.Exists(Path.Combine(folder, "notes.txt")));
    }
}
