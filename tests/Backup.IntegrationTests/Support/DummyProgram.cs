namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real executable script standing in for a tool, to make it fail in ways the real one rarely does
/// on demand (tar's exit 1 and 2). It still runs the real tool first, so its output is genuine.
/// </summary>
public static class DummyProgram
{
    public static string Create(TempDir dir, string name, string body)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
