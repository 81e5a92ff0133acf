namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Filesystem checks on paths named in the config. They only look (stat + access(2)); nothing is
/// created, so a dry validation never leaves traces.
/// </summary>
internal sealed class PathChecks(ErrorList errors, bool enabled)
{
    /// <summary>An existing directory this process can create files in (temp, local destinations).</summary>
    public void WritableDirectory(string yamlPath, int? line, string key, string path) =>
        ExistingDirectory(yamlPath, line, key, path, FileAccess.CanWriteInto, "writable");

    /// <summary>An existing directory this process can read (gnupg_home).</summary>
    public void ReadableDirectory(string yamlPath, int? line, string key, string path) =>
        ExistingDirectory(yamlPath, line, key, path, FileAccess.CanRead, "readable");

    private void ExistingDirectory(string yamlPath, int? line, string key, string path, Func<string, bool> allowed, string permission)
    {
        if (!enabled)
        {
            return;
        }

        if (File.Exists(path))
        {
            errors.Add(yamlPath, line, $"'{path}' is a file, not a directory; point `{key}` at a directory");
        }
        else if (!Directory.Exists(path))
        {
            errors.Add(yamlPath, line, $"directory '{path}' does not exist; create it or fix `{key}`");
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
        if (!enabled)
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
