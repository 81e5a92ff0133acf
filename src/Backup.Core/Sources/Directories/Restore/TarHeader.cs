using System.Text;

namespace Backup.Core.Sources.Directories.Restore;

/// <summary>The fields of one 512-byte tar header that safety and framing depend on.</summary>
internal sealed record TarHeader(string Name, char Type, long Size, string LinkName, bool SparseExtended)
{
    public const int Block = 512;

    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>Parses a non-zero header block; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static TarHeader Parse(ReadOnlySpan<byte> block)
    {
        if (!ChecksumMatches(block))
            throw new InvalidDataException("a tar header has a wrong checksum (not a tar archive, or corrupted)");

        var name = Text(block[..100]);
        // POSIX ustar splits long names into prefix/name; GNU's own format uses those bytes for other fields.
        if (block.Slice(257, 6).SequenceEqual("ustar\0"u8) && Text(block.Slice(345, 155)) is { Length: > 0 } prefix)
            name = prefix + "/" + name;
        var type = block[156] == 0 ? '0' : (char)block[156];
        return new TarHeader(name, type, Number(block.Slice(124, 12)), Text(block.Slice(157, 100)),
            type == 'S' && block[482] != 0);
    }

    /// <summary>Bytes of data that follow the header, rounded up to whole blocks.</summary>
    public long PaddedSize => (Size + Block - 1) / Block * Block;

    /// <summary>
    /// A NUL-terminated field as a <em>raw name</em>: one char per byte (Latin-1), so that names which are
    /// not valid UTF-8 (a Linux name is bytes) stay distinct and compare exactly. <see cref="Display"/>
    /// turns a raw name into readable text for messages.
    /// </summary>
    public static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>A raw name (one char per byte) as UTF-8 text for messages; invalid sequences show as U+FFFD.</summary>
    public static string Display(string raw) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(raw));

    /// <summary>A name given as text (e.g. from a manifest) in the raw form header names are compared in.</summary>
    public static string Raw(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Octal ASCII, or GNU's base-256 (high bit set) for large values.</summary>
    private static long Number(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
                value = checked((value << 8) | b);
            return value;
        }

        long octal = 0;
        foreach (var b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (octal > 0)
                    break;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
                throw new InvalidDataException("a tar header has a malformed number");
            octal = checked(octal * 8 + (b - '0'));
        }

        return octal < 0 ? throw new InvalidDataException("a tar header has a negative size") : octal;
    }

    private static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        long stored;
        try
        {
            stored = Number(block.Slice(148, 8));
        }
        catch (InvalidDataException)
        {
            return false;
        }

        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return stored == unsigned || stored == signed;
    }
}
