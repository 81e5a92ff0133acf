namespace Backup.Tests.Support;

/// <summary>A fresh directory under /tmp, removed when the test is done.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string? name = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backup-tests", (name ?? "t") + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates (or overwrites) a file under the directory, making parent folders as needed.</summary>
    public string Write(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>
    /// Creates an executable script. A child process writes it, not this one: a file this process had
    /// open for writing can still be open in a child forked meanwhile by a parallel test, and running
    /// it would then fail with "Text file busy" (ETXTBSY).
    /// </summary>
    public string WriteExecutable(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", "cat > \"$1\" && chmod 700 \"$1\"", "sh", full })
            info.ArgumentList.Add(argument);
        using var writer = System.Diagnostics.Process.Start(info)!;
        writer.StandardInput.Write(content);
        writer.StandardInput.Close();
        writer.WaitForExit();
        if (writer.ExitCode != 0)
            throw new IOException($"could not write the script {full} (sh exited {writer.ExitCode})");
        return full;
    }

    public string CreateDirectory(string relative) => Directory.CreateDirectory(Combine(relative)).FullName;

    public void Dispose()
    {
        // rm, not Directory.Delete: specs make names that are not UTF-8 (which .NET cannot name) and
        // read-only directories; rm sees names as bytes. It never follows symbolic links.
        var info = new System.Diagnostics.ProcessStartInfo("rm") { RedirectStandardError = true };
        foreach (var argument in new[] { "-rf", "--", Path })
            info.ArgumentList.Add(argument);
        using var rm = System.Diagnostics.Process.Start(info)!;
        rm.StandardError.ReadToEnd();
        rm.WaitForExit();
        // A failure leaves a folder in /tmp, which the OS cleans; it must not fail the spec.
    }
}
