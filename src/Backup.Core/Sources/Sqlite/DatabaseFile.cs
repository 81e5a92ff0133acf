using Backup.Core.Storage;

namespace Backup.Core.Sources.Sqlite;

/// <summary>The checks of a configured database file before SQLite opens it, for messages that say what is wrong.</summary>
internal static class DatabaseFile
{
    /// <summary>
    /// Throws <see cref="BackupException"/> (starting with <paramref name="yamlPath"/>) unless
    /// <paramref name="path"/> names a regular file, itself or through symbolic links, that this user can
    /// read. A missing file is never created: a backup of an empty database made up on the spot would look
    /// like a good one.
    /// </summary>
    public static void Require(string yamlPath, string path)
    {
        var kind = KindOf(yamlPath, path);
        var described = $"{yamlPath}: '{path}'";
        if (kind == FileKind.SymbolicLink)
        {
            var final = FinalTarget(path);
            if (final is null)
                throw new BackupException($"{described} is a symbolic link to '{new FileInfo(path).LinkTarget}', which does not exist; fix the link or the path");
            kind = KindOf(yamlPath, final);
            described += $" (a link to '{final}')";
        }

        switch (kind)
        {
            case FileKind.Regular:
                break;
            case FileKind.Missing:
                throw new BackupException($"{described} does not exist; check the path (a missing database is not created)");
            case FileKind.Directory:
                throw new BackupException($"{described} is a folder; name the database file in it");
            default:
                throw new BackupException($"{described} is {FileKinds.Describe(kind)}, not a database file");
        }

        try
        {
            File.OpenHandle(path, FileMode.Open, FileAccess.Read).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            throw new BackupException($"{described} cannot be read by this user; give it read access to the file (and, in WAL mode, to its -wal and -shm)");
        }
        catch (IOException e)
        {
            throw new BackupException($"{described} cannot be read: {e.Message}", e);
        }
    }

    private static FileKind KindOf(string yamlPath, string path)
    {
        try
        {
            return FileKinds.Of(path);
        }
        catch (IOException e)
        {
            throw new BackupException($"{yamlPath}: {e.Message}", e);
        }
    }

    private static string? FinalTarget(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target is { Exists: true } ? target.FullName : null;
        }
        catch (IOException)
        {
            return null; // a loop of links
        }
    }
}
