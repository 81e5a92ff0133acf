using System.Diagnostics;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// Runs the real `backup` program as an unprivileged user (nobody, via util-linux setpriv) under a
/// strict umask, as a non-root cron job would. The program is run from a copy of the built binaries
/// that every user may read, since the checkout itself may sit in a private folder.
/// </summary>
public sealed class Unprivileged : IDisposable
{
    public const int Uid = 65534;

    private readonly TempDir _binaries = new("unprivileged-bin");

    public Unprivileged()
    {
        Tools.Sh($"cp -a '{AppContext.BaseDirectory}/.' '{_binaries.Path}/' && chmod -R a+rX '{_binaries.Path}' && chmod a+rx '{Path.GetDirectoryName(_binaries.Path)}'");
    }

    public void Dispose() => _binaries.Dispose();

    /// <summary>Makes <paramref name="path"/> (and what is in it) belong to nobody.</summary>
    public static void Own(string path) => Tools.Sh($"chown -R {Uid}:{Uid} '{path}'");

    public async Task<BackupCli.Result> RunAsync(string home, params string[] args)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = home,
        };
        foreach (var a in new[] { $"--reuid={Uid}", $"--regid={Uid}", "--clear-groups", "--", "sh", "-c", "umask 077; exec dotnet \"$0\" \"$@\"", Path.Combine(_binaries.Path, "backup.dll") })
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["HOME"] = home;
        info.Environment["DOTNET_CLI_HOME"] = home;
        using var process = Process.Start(info)!;
        return await BackupCli.CompleteAsync(process);
    }
}
