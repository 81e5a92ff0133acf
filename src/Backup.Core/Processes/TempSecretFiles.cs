using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Backup.Core.Processes;

/// <summary>
/// Short-lived files that hold a secret for a child process (a MySQL option file, a passphrase file):
/// each one is 0600 inside its own 0700 directory, and is deleted when disposed. The files of
/// <see cref="OfThisProcess"/> still registered when the process ends (SIGTERM, SIGINT, SIGHUP,
/// SIGQUIT, normal exit) are deleted by a hook, so an interrupted run does not leave a password behind
/// in /tmp.
/// </summary>
/// <remarks>
/// A registry is an instance, not static state, so that <see cref="DeleteAll"/> on one (a spec's)
/// cannot delete the files that another part of the same process is still using.
/// </remarks>
public sealed class TempSecretFiles
{
    private readonly ConcurrentDictionary<string, byte> _live = new();
    private readonly bool _deleteAtExit;
    private readonly Lock _hookLock = new();
    private volatile bool _keptThroughSignals;

    // Held as long as the registry (for OfThisProcess: the process): a collected registration
    // silently unregisters its handler.
    private List<PosixSignalRegistration>? _signalHooks;

    /// <summary>A registry of its own, whose files no exit hook deletes.</summary>
    public TempSecretFiles()
        : this(deleteAtExit: false)
    {
    }

    private TempSecretFiles(bool deleteAtExit) => _deleteAtExit = deleteAtExit;

    /// <summary>The registry whose files are deleted when the process exits or is stopped by a signal.</summary>
    public static TempSecretFiles OfThisProcess { get; } = new(deleteAtExit: true);

    /// <summary>Paths still registered (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> Registered => _live.Keys.ToArray();

    /// <summary>
    /// Writes <paramref name="content"/> (UTF-8) to <paramref name="fileName"/> in a fresh private directory
    /// under <paramref name="parent"/> (default: the system temp directory).
    /// </summary>
    public TempSecretFile Create(string fileName, string content, string? parent = null)
    {
        EnsureHooks();
        var directory = parent is null
            ? Directory.CreateTempSubdirectory("backup-secret-").FullName
            : Directory.CreateDirectory(Path.Combine(parent, "backup-secret-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var path = Path.Combine(directory, fileName);
        _live[path] = 0;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path, options))
                stream.Write(new UTF8Encoding(false).GetBytes(content));
            return new TempSecretFile(path, this);
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    /// <summary>Deletes the file and its private directory; never throws.</summary>
    public void Delete(string path)
    {
        try
        {
            File.Delete(path);
            var directory = Path.GetDirectoryName(path);
            if (directory is not null && Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing better to do while cleaning up; the file was private to this user anyway.
        }
        finally
        {
            _live.TryRemove(path, out _);
        }
    }

    /// <summary>
    /// The program takes SIGTERM, SIGINT, SIGHUP and SIGQUIT itself and always ends by returning or by
    /// <see cref="Environment.Exit"/> (the CLI's <c>Interruption</c>, <c>backup daemon</c>'s signals): the files
    /// are then deleted at exit, not when a signal comes. Deleting them then would pull them from under the
    /// commands still using them: a daemon's SIGHUP only reloads and its SIGTERM lets running sources finish,
    /// and an <c>after</c> hook runs on after an interrupt, reading its <c>BACKUP_REPORT</c>.
    /// </summary>
    public void KeepThroughSignals() => _keptThroughSignals = true;

    /// <summary>Deletes every file of this registry not yet disposed: the body of the exit and signal hooks.</summary>
    public void DeleteAll()
    {
        foreach (var path in _live.Keys)
            Delete(path);
    }

    private void EnsureHooks()
    {
        if (!_deleteAtExit)
            return;
        lock (_hookLock)
        {
            if (_signalHooks is not null)
                return;
            _signalHooks = [];
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                try
                {
                    // Not cancelling the context keeps the default action (terminate) after the cleanup.
                    _signalHooks.Add(PosixSignalRegistration.Create(signal, _ =>
                    {
                        if (!_keptThroughSignals)
                            DeleteAll();
                    }));
                }
                catch (PlatformNotSupportedException)
                {
                    // e.g. SIGHUP on Windows: ProcessExit still covers a normal shutdown.
                }
            }
        }
    }
}
