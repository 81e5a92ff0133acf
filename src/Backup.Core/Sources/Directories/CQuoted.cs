namespace Backup.Core.Sources.Directories;

/// <summary>
/// Names as GNU tar prints them with <c>--quoting-style=c</c> in the C locale: in double quotes, every
/// byte outside printable ASCII as <c>\ooo</c>, and <c>\\</c>, <c>\"</c>, <c>\n</c>, ... for the rest.
/// </summary>
internal static class CQuoted
{
    /// <summary>The number of bytes of the name a quoted line stands for.</summary>
    public static int ByteLength(string quoted)
    {
        var inner = quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"' ? quoted[1..^1] : quoted;
        var bytes = 0;
        for (var i = 0; i < inner.Length; i++, bytes++)
        {
            if (inner[i] != '\\' || i + 1 >= inner.Length)
                continue;
            // An octal escape is one byte in four characters; any other escape one byte in two.
            i += i + 3 < inner.Length && IsOctal(inner[i + 1]) && IsOctal(inner[i + 2]) && IsOctal(inner[i + 3]) ? 3 : 1;
        }

        return bytes;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
