namespace Backup.IntegrationTests.Support;

public static class RepoRoot
{
    /// <summary>The checkout's root (where Backup.slnx is), found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Backup.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Backup.slnx not found above " + AppContext.BaseDirectory);
    }
}
