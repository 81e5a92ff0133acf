using System.Diagnostics;
using System.Net.Sockets;
using Backup.Core.Storage;
using Backup.Tests.Support;

namespace Backup.Tests.Storage;

public sealed class FileKindsSpecs : IDisposable
{
    private readonly TempDir _dir = new("file-kinds");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_kind_of_name_is_told_apart_and_a_link_is_never_followed()
    {
        var file = _dir.Write("file.txt", "x");
        var fifo = _dir.Combine("fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();
        var socketPath = _dir.Combine("sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var linkToFile = _dir.Combine("link-to-file");
        File.CreateSymbolicLink(linkToFile, file);
        var dangling = _dir.Combine("dangling");
        File.CreateSymbolicLink(dangling, _dir.Combine("nothing-here"));

        Assert.Equal(FileKind.Regular, FileKinds.Of(file));
        Assert.Equal(FileKind.Directory, FileKinds.Of(_dir.Path));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.Socket, FileKinds.Of(socketPath));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(linkToFile));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(dangling));
        Assert.Equal(FileKind.Missing, FileKinds.Of(_dir.Combine("nothing-here")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(file, "under-a-file")));
    }
}
