using System.Runtime.InteropServices;

namespace Backup.Core.Storage;

/// <summary>What a name in the file system is, the name itself (a symbolic link is not followed).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>
/// The type of a file as lstat(2) sees it, through statx(2) (whose layout is one on every Linux
/// architecture). .NET's file APIs cannot tell a FIFO, a device or a socket from a regular file, and
/// follow links where it matters.
/// </summary>
public static unsafe partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // u16 stx_mode after stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid
    private const int ENoEnt = 2;
    private const int ENotDir = 20;

    /// <summary>The kind of <paramref name="path"/>, not following a link; <see cref="FileKind.Missing"/> when nothing has that name.</summary>
    /// <exception cref="IOException">The name cannot be inspected (e.g. a folder on the way may not be searched).</exception>
    public static FileKind Of(string path)
    {
        var buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir)
                return FileKind.Missing;
            throw new IOException($"cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var mode = *(ushort*)(buffer + ModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => throw new IOException($"'{path}' has an unknown file type (mode {Convert.ToString(mode, 8)})"),
        };
    }

    /// <summary>"a FIFO (named pipe)", "a character device", ...: for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => kind.ToString(),
    };

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
