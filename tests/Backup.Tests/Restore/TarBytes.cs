using System.Formats.Tar;

namespace Backup.Tests.Restore;

/// <summary>Small GNU tar archives built in memory, including ones no honest tar would make.</summary>
public static class TarBytes
{
    public static byte[] Of(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    public static TarEntry File(string name, string content = "x") =>
        new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    public static TarEntry Dir(string name) => new GnuTarEntry(TarEntryType.Directory, name);

    public static TarEntry Symlink(string name, string target) => new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static TarEntry HardLink(string name, string target) => new GnuTarEntry(TarEntryType.HardLink, name) { LinkName = target };
}
