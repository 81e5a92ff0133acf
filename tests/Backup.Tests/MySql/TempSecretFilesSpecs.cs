using Backup.Core.Processes;
using Backup.Tests.Support;

namespace Backup.Tests.MySql;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TempSecretFilesSpecs
{
    // A registry of this spec's own: DeleteAll on the process's would delete the option files of
    // specs running in parallel.
    private readonly TempSecretFiles _files = new();

    [Fact]
    public void A_secret_file_is_private_to_its_owner()
    {
        using var temp = new TempDir("secret");
        using var file = _files.Create("client.cnf", "password=x\n", temp.Path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(file.Path)!));
        Assert.Equal("password=x\n", File.ReadAllText(file.Path));
    }

    [Fact]
    public void Disposing_removes_the_file_and_its_directory()
    {
        using var temp = new TempDir("secret");
        var file = _files.Create("client.cnf", "x", temp.Path);

        file.Dispose();

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        Assert.DoesNotContain(file.Path, _files.Registered);
    }

    [Fact]
    public void DeleteAll_which_the_exit_hook_runs_removes_every_file_of_its_registry_not_yet_disposed()
    {
        using var temp = new TempDir("secret");
        var first = _files.Create("a.cnf", "x", temp.Path);
        var second = _files.Create("b.cnf", "y", temp.Path);

        _files.DeleteAll();

        Assert.False(File.Exists(first.Path));
        Assert.False(File.Exists(second.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void DeleteAll_leaves_the_files_of_another_registry_alone()
    {
        using var temp = new TempDir("secret");
        using var other = TempSecretFiles.OfThisProcess.Create("c.cnf", "z", temp.Path);
        _files.Create("d.cnf", "w", temp.Path);

        _files.DeleteAll();

        Assert.True(File.Exists(other.Path));
        Assert.Contains(other.Path, TempSecretFiles.OfThisProcess.Registered);
    }
}
