using Backup.Core.Storage;
using Backup.Tests.Support;

namespace Backup.Tests.Storage;

/// <summary>
/// The no-replace rename a create-only local upload ends with, and the link(2) fallback for file
/// systems without RENAME_NOREPLACE (this one has it, so the fallback is called directly).
/// </summary>
public sealed class NativeRenameSpecs : IDisposable
{
    private readonly TempDir _dir = new("native-rename");

    public static TheoryData<string> Ways => ["renameat2", "link"];

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Ways))]
    public void A_free_name_is_taken_and_the_old_name_is_gone(string way)
    {
        var from = _dir.Write("a.1.partial", "new");
        var to = _dir.Combine("a");

        Assert.Equal(0, Rename(way, from, to));

        Assert.False(File.Exists(from));
        Assert.Equal("new", File.ReadAllText(to));
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void A_taken_name_is_refused_with_EEXIST_and_both_files_stay_as_they_were(string way)
    {
        var from = _dir.Write("a.1.partial", "new");
        var to = _dir.Write("a", "old");

        Assert.Equal(NativeRename.EExist, Rename(way, from, to));

        Assert.Equal("new", File.ReadAllText(from));
        Assert.Equal("old", File.ReadAllText(to));
    }

    private static int Rename(string way, string from, string to) =>
        way == "link" ? NativeRename.LinkThenUnlink(from, to) : NativeRename.RenameNoReplace(from, to);
}
