using System.Diagnostics;

namespace Backup.IntegrationTests.Support;

/// <summary>Runs the plain tools (tar, gunzip, gpg, diff) the way a user restoring by hand would.</summary>
public static class Tools
{
    /// <summary>Runs a shell pipeline; fails the test with its stderr when it exits non-zero.</summary>
    public static string Sh(string script, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"`{script}` exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Asserts that two trees are identical (content, names, symlinks) with <c>diff -r</c>.</summary>
    public static void AssertSameTree(string expected, string actual)
    {
        Sh($"diff -r --no-dereference '{expected}' '{actual}'");
    }
}
