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

    /// <summary>
    /// An archive of raw members (see <see cref="Member"/>) and entries, in order: what TarWriter cannot
    /// write, such as names that are not UTF-8 (it encodes every name as UTF-8) or a hand-made pax record.
    /// </summary>
    public static byte[] Mixed(params object[] members)
    {
        using var buffer = new MemoryStream();
        foreach (var member in members)
        {
            var bytes = member is TarEntry entry ? Of(entry)[..^1024] : (byte[])member;
            buffer.Write(bytes);
        }

        buffer.Write(new byte[1024]);
        return buffer.ToArray();
    }

    /// <summary>One member built by hand: a GNU header with <paramref name="name"/> as raw bytes (each char one byte), then the data.</summary>
    public static byte[] Member(char type, string name, string data = "", string link = "")
    {
        var content = System.Text.Encoding.Latin1.GetBytes(data);
        var header = new byte[512];
        System.Text.Encoding.Latin1.GetBytes(name).CopyTo(header, 0);
        "0000644\0"u8.ToArray().CopyTo(header, 100);
        "0000000\0"u8.ToArray().CopyTo(header, 108);
        "0000000\0"u8.ToArray().CopyTo(header, 116);
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(content.Length, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        "00000000000\0"u8.ToArray().CopyTo(header, 136);
        header[156] = (byte)type;
        System.Text.Encoding.Latin1.GetBytes(link).CopyTo(header, 157);
        "ustar  \0"u8.ToArray().CopyTo(header, 257);
        "        "u8.ToArray().CopyTo(header, 148);
        var sum = header.Sum(b => (int)b);
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        var padded = new byte[(content.Length + 511) / 512 * 512];
        content.CopyTo(padded, 0);
        return [.. header, .. padded];
    }
}
