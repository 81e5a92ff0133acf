using Backup.Core.Processes;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// pg_dump's custom archive: it starts with <c>PGDMP</c> and has no closing line; the only proof that
/// one holds everything is to read it whole, which pg_restore does when it turns it into SQL for
/// <c>/dev/null</c> (it needs no server for that). An archive written into a pipe, as every backup is,
/// has no data offsets, so pg_restore reads it front to back, every table's data included, and a
/// truncated one ends with "could not read from input file: end of file".
/// </summary>
public static class CustomArchive
{
    /// <summary>The first bytes of every custom archive.</summary>
    public static ReadOnlySpan<byte> Magic => "PGDMP"u8;

    /// <summary>
    /// Reads <paramref name="archive"/> to its end with <c>pg_restore --file=/dev/null</c>. Throws naming
    /// pg_restore's message when the archive is cut short, damaged or no archive at all.
    /// </summary>
    public static async Task ReadThroughAsync(string pgRestore, Stream archive, string what, CancellationToken ct)
    {
        var outcome = await ChildProcess.RunAsync(
            ChildProcess.Create(pgRestore, ["--file=/dev/null", "--exit-on-error"]), archive, null, ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"{what}: pg_restore cannot read the archive to its end, so it is incomplete or damaged ({outcome.DescribeEnd()})");
    }

    /// <summary>Sees the first bytes of a stream chunk by chunk and tells whether they are an archive's.</summary>
    internal sealed class HeaderCheck
    {
        private readonly byte[] _start = new byte[5];
        private int _length;

        public bool IsArchive => _length == _start.Length && _start.AsSpan().SequenceEqual(Magic);

        public void Observe(ReadOnlySpan<byte> chunk)
        {
            if (_length == _start.Length)
                return;
            var take = Math.Min(chunk.Length, _start.Length - _length);
            chunk[..take].CopyTo(_start.AsSpan(_length));
            _length += take;
        }
    }
}
