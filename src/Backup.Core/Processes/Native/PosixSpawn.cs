using System.Runtime.InteropServices;

namespace Backup.Core.Processes.Native;

/// <summary>
/// The few libc calls needed to start a program with chosen file descriptors as its stdin, stdout and
/// stderr, which <see cref="System.Diagnostics.Process"/> cannot do: it only offers pipes to this
/// process. Linux with glibc (x86-64 and arm64 share these constants).
/// </summary>
internal static unsafe partial class PosixSpawn
{
    // glibc's soname: plain "libc.so" is a linker script on systems with libc6-dev, which dlopen rejects.
    private const string LibC = "libc.so.6";

    public const int OCloexec = 0x80000;
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int SigKill = 9;
    public const int SigPipe = 13;

    private const int EIntr = 4;
    private const int F_SETPIPE_SZ = 1031;
    private const int POSIX_SPAWN_SETPGROUP = 0x02;
    private const int POSIX_SPAWN_SETSIGDEF = 0x04;
    private const int POSIX_SPAWN_SETSIGMASK = 0x08;
    private const int P_PID = 1;
    private const int WEXITED = 4;
    private const int WNOWAIT = 0x01000000;

    // Larger than glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128).
    private const int OpaqueSize = 512;

    /// <summary>
    /// A pipe whose both ends are close-on-exec, so no other child inherits them by accident. With a
    /// <paramref name="capacity"/>, asks the kernel for that much room instead of 64 KiB (best effort:
    /// capped by /proc/sys/fs/pipe-max-size), so each side moves more per call and wakes the other less.
    /// </summary>
    public static (int Read, int Write) Pipe(int capacity = 0)
    {
        Span<int> fds = stackalloc int[2];
        if (pipe2(ref fds[0], OCloexec) != 0)
            throw new BackupException($"cannot create a pipe: {Marshal.GetLastPInvokeErrorMessage()}");
        if (capacity > 0)
            _ = fcntl(fds[1], F_SETPIPE_SZ, capacity);
        return (fds[0], fds[1]);
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
            close(fd);
    }

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="stdin"/>, <paramref name="stdout"/> and
    /// <paramref name="stderr"/> as its fds 0, 1 and 2 (a negative fd: /dev/null), every signal at its
    /// default disposition and none blocked (the runtime ignores SIGPIPE; a child must not inherit that).
    /// With a <paramref name="directory"/>, the child starts in it; with <paramref name="newProcessGroup"/>,
    /// it leads a process group of its own (whose id is its pid). Returns the pid, or the errno of the failed start.
    /// </summary>
    public static (int Pid, int Error) Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, int stdin, int stdout, int stderr,
        string? directory = null, bool newProcessGroup = false)
    {
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var strings = new List<nint>();
        try
        {
            posix_spawn_file_actions_init(actions);
            Redirect(actions, stdin, 0, ORdOnly);
            Redirect(actions, stdout, 1, OWrOnly);
            Redirect(actions, stderr, 2, OWrOnly);
            if (directory is not null)
                posix_spawn_file_actions_addchdir_np(actions, directory);

            posix_spawnattr_init(attributes);
            sigfillset(signals);
            posix_spawnattr_setsigdefault(attributes, signals);
            sigemptyset(signals);
            posix_spawnattr_setsigmask(attributes, signals);
            var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
            if (newProcessGroup)
            {
                posix_spawnattr_setpgroup(attributes, 0);
                flags |= POSIX_SPAWN_SETPGROUP;
            }

            posix_spawnattr_setflags(attributes, (short)flags);

            var argvBlock = Strings(argv, strings);
            var envpBlock = Strings(envp, strings);
            var file = Marshal.StringToCoTaskMemUTF8(path);
            strings.Add(file);
            var error = posix_spawn(out var pid, (byte*)file, actions, attributes, argvBlock, envpBlock);
            return error == 0 ? (pid, 0) : (-1, error);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attributes);
            foreach (var s in strings)
                Marshal.FreeCoTaskMem(s);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
        }
    }

    /// <summary>
    /// Blocks until the child has exited, without reaping it: a zombie keeps its pid, so a
    /// <see cref="Kill"/> racing with the exit can never hit an unrelated process that reused it.
    /// </summary>
    public static void WaitForExitWithoutReaping(int pid)
    {
        var info = stackalloc byte[128]; // siginfo_t
        while (waitid(P_PID, pid, info, WEXITED | WNOWAIT) != 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }
    }

    /// <summary>Reaps an exited child; returns its exit code, or 128 + the signal that killed it (the shell's rule), or -1 if unknown.</summary>
    public static int Reap(int pid)
    {
        int status;
        int result;
        while ((result = waitpid(pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }

        if (result != pid)
            return -1;
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>Sends <paramref name="signal"/> to a process, or (a negative pid) to that process group.</summary>
    public static void Kill(int pid, int signal) => kill(pid, signal);

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static void Redirect(void* actions, int fd, int target, int openFlags)
    {
        if (fd < 0)
            posix_spawn_file_actions_addopen(actions, target, "/dev/null", openFlags, 0);
        else
            posix_spawn_file_actions_adddup2(actions, fd, target);
    }

    /// <summary>A NULL-terminated array of UTF-8 C strings; every allocation is recorded in <paramref name="owned"/>.</summary>
    private static nint* Strings(IReadOnlyList<string> values, List<nint> owned)
    {
        var block = (nint*)Marshal.AllocCoTaskMem((values.Count + 1) * sizeof(nint));
        owned.Add((nint)block);
        for (var i = 0; i < values.Count; i++)
        {
            block[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(block[i]);
        }

        block[values.Count] = 0;
        return block;
    }

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int pipe2(ref int fds, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int waitid(int idtype, int id, void* info, int options);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(LibC)]
    private static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attributes, nint* argv, nint* envp);

    [LibraryImport(LibC)]
    private static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(LibC)]
    private static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(LibC)]
    private static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int openFlags, int mode);

    // glibc 2.29 and later.
    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_setpgroup(void* attributes, int processGroup);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(LibC)]
    private static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport(LibC)]
    private static partial int sigfillset(void* signals);

    [LibraryImport(LibC)]
    private static partial int sigemptyset(void* signals);
}
