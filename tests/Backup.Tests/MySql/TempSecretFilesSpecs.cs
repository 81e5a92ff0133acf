using Backup.Core.Processes;
using Backup.Tests.Support;

namespace Backup.Tests.MySql;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TempSecretFilesSpecs
{
    [Fact]
    public void A_secret_file_is_private_to_its_owner()
    {
        using var temp = new TempDir("secret");
        using var file = TempSecretFiles.Create("client.cnf", "password=x\n", temp.Path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(file.Path)!));
        Assert.Equal("password=x\n", File.ReadAllText(file.Path));
    }

    [Fact]
    public void Disposing_removes_the_file_and_its_directory()
    {
        using var temp = new TempDir("secret");
        var file = TempSecretFiles.Create("client.cnf", "x", temp.Path);

        file.Dispose();

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        Assert.DoesNotContain(file.Path, TempSecretFiles.Registered);
    }

    [Fact]
    public void The_exit_hook_removes_every_file_not_yet_disposed()
    {
        using var temp = new TempDir("secret");
        var first = TempSecretFiles.Create("a.cnf", "x", temp.Path);
        var second = TempSecretFiles.Create("b.cnf", "y", temp.Path);

        TempSecretFiles.DeleteAll();

        Assert.False(File.Exists(first.Path));
        Assert.False(File.Exists(second.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }
}
