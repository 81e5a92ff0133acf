using System.Text;

namespace Backup.Core.Restore;

/// <summary>
/// mysqldump (and MariaDB's) ends a complete dump with a <c>-- Dump completed</c> comment line; a dump
/// cut short by a crash or a killed server lacks it even when every byte was stored faithfully.
/// </summary>
internal static class SqlDumpCheck
{
    private const string Trailer = "-- Dump completed";
    private const int TailBytes = 4096;

    /// <summary>Reads <paramref name="input"/> to its end; throws <see cref="InvalidDataException"/> when the trailer is missing.</summary>
    public static async Task ReadToEndAsync(Stream input, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        var tail = new byte[TailBytes];
        var tailLength = 0;
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
        {
            if (n >= TailBytes)
            {
                Array.Copy(buffer, n - TailBytes, tail, 0, TailBytes);
                tailLength = TailBytes;
            }
            else
            {
                var keep = Math.Min(tailLength, TailBytes - n);
                Array.Copy(tail, tailLength - keep, tail, 0, keep);
                Array.Copy(buffer, 0, tail, keep, n);
                tailLength = keep + n;
            }
        }

        var lastLine = Encoding.UTF8.GetString(tail, 0, tailLength).TrimEnd().Split('\n')[^1];
        if (!lastLine.StartsWith(Trailer, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"the SQL dump does not end with '{Trailer}': it was cut short (or made with --skip-comments, which hides this check)");
    }
}
