using Backup.Core.Pipeline;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// The input of a restoring client (psql, pg_restore) that kills the client before the failure of what
/// it reads from can close its stdin: at end of input psql commits its <c>--single-transaction</c> and
/// pg_restore goes on with what it has, so an artifact whose download, decryption or decompression
/// fails half way must never look to them like a dump that simply ended.
/// </summary>
internal sealed class AbortingInput(Stream inner, Action abort) : ReadOnlyStream
{
    /// <summary>What reading failed with, once it has: the cause of the client's end.</summary>
    public Exception? Failure { get; private set; }

    public override int Read(Span<byte> destination)
    {
        try
        {
            return inner.Read(destination);
        }
        catch (Exception e)
        {
            Failure ??= e;
            abort();
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e)
        {
            Failure ??= e;
            abort();
            throw;
        }
    }
}
