namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Filesystem checks on paths named in the config. They only look (stat + access(2)); nothing is
/// created, so a dry validation never leaves traces.
/// </summary>
internal sealed class PathChecks(ErrorList errors, LocalPathChecks checks)
{
    private bool ForRun => checks is LocalPathChecks.Run or LocalPathChecks.All;

    /// <summary>An existing directory this process can create files in (temp, local destinations).</summary>
    public void WritableDirectory(string yamlPath, int? line, string key, string path)
    {
        if (ForRun)
        {
            ExistingDirectory(yamlPath, line, key, path, FileAccess.CanWriteInto, "writable", $"create it or fix `{key}`");
        }
    }

    /// <summary>An existing directory this process can read (gnupg_home).</summary>
    public void ReadableDirectory(string yamlPath, int? line, string key, string path)
    {
        if (ForRun)
        {
            ExistingDirectory(yamlPath, line, key, path, FileAccess.CanRead, "readable", $"create it or fix `{key}`");
        }
    }

    /// <summary>
    /// The directory a source backs up, checked by validate only: a run fails that source alone
    /// and backs up the others.
    /// </summary>
    public void SourceDirectory(string yamlPath, int? line, string key, string path)
    {
        if (checks is LocalPathChecks.All)
        {
            ExistingDirectory(yamlPath, line, key, path, FileAccess.CanList, "readable", $"fix `{key}`, or mount the file system it is on");
        }
    }

    /// <param name="remedy">What to do about a missing directory.</param>
    private void ExistingDirectory(
        string yamlPath, int? line, string key, string path, Func<string, bool> allowed, string permission, string remedy)
    {
        if (File.Exists(path))
        {
            errors.Add(yamlPath, line, $"'{path}' is a file, not a directory; point `{key}` at a directory");
        }
        else if (!Directory.Exists(path))
        {
            errors.Add(yamlPath, line, $"directory '{path}' does not exist; {remedy}");
        }
        else if (!allowed(path))
        {
            errors.Add(yamlPath, line, $"directory '{path}' is not {permission} by this user; fix its permissions or `{key}`");
        }
    }

    /// <summary>
    /// A file that may not exist yet but whose directory must take it (the incremental snapshot: the
    /// first run creates it).
    /// </summary>
    public void CreatableFile(string yamlPath, int? line, string key, string path)
    {
        if (!ForRun)
        {
            return;
        }

        if (Directory.Exists(path))
        {
            errors.Add(yamlPath, line, $"'{path}' is a directory; `{key}` must name a file");
            return;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is null || !Directory.Exists(parent))
        {
            errors.Add(yamlPath, line, $"directory '{parent}' (parent of '{path}') does not exist; create it or fix `{key}`");
        }
        else if (!FileAccess.CanWriteInto(parent))
        {
            errors.Add(yamlPath, line, $"directory '{parent}' (parent of '{path}') is not writable by this user; fix its permissions or `{key}`");
        }
        else if (File.Exists(path) && !FileAccess.CanRead(path))
        {
            errors.Add(yamlPath, line, $"'{path}' is not readable by this user; fix its permissions or `{key}`");
        }
    }
}
