namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real executable script standing in for a tool, to make it fail in ways the real one rarely does
/// on demand (tar's exit 1 and 2). It still runs the real tool first, so its output is genuine.
/// </summary>
public static class DummyProgram
{
    public static string Create(TempDir dir, string name, string body) =>
        dir.WriteExecutable(name, "#!/bin/sh\n" + body + "\n");
}
