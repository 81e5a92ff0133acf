namespace Backup.Core.Sources.MySql.Restore;

/// <summary>The structure check of a stored SQL dump: read to its end, it must end with mysqldump's completion line.</summary>
internal static class SqlDumpCheck
{
    /// <summary>Reads <paramref name="input"/> to its end; throws <see cref="InvalidDataException"/> when the trailer is missing.</summary>
    public static async Task ReadToEndAsync(Stream input, CancellationToken ct)
    {
        var trailer = new DumpTrailer();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
            trailer.Observe(buffer.AsSpan(0, n));

        if (!trailer.IsComplete)
            throw new InvalidDataException(
                $"the SQL dump does not end with '{MySqlDumpArguments.CompletionTrailer}': it was cut short " +
                "(or made with --skip-comments, which hides this check)");
    }
}
