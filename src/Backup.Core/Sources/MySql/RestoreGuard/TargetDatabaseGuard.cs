using Backup.Core.Pipeline;

namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// The SQL a database restore feeds to <c>mysql</c>, passed on only as far as it has been checked
/// (<see cref="StatementRules"/>): a statement's bytes flow as they are read, but the client's
/// delimiter that ends it is handed over only after the whole statement was checked, and the client
/// runs nothing before it sees that delimiter. On a refusal, or when the stream it reads from fails,
/// <paramref name="abort"/> kills the client first (its pending statement dies with it; closing its
/// input instead would make it run that statement) and then the read throws. Memory stays flat:
/// the check keeps no statement, only a few tokens of it.
/// </summary>
public sealed class TargetDatabaseGuard(Stream input, string database, Action abort) : ReadOnlyStream
{
    private const int ChunkSize = 1 << 16;

    private readonly SqlScriptScanner _scanner = new(new StatementRules(database));
    private byte[] _buffer = new byte[ChunkSize * 2];
    private int _start;     // first byte not yet handed out
    private int _released;  // end of the bytes checked (and so free to hand out)
    private int _end;       // end of the bytes read
    private bool _inputDone;
    private bool _finished;

    /// <summary>Set when a statement was refused; the read that found it threw it.</summary>
    public RestoreRefusedException? Refusal { get; private set; }

    public override int Read(Span<byte> destination)
    {
        try
        {
            while (_start == _released)
            {
                if (_finished)
                    return 0;
                Fill();
            }

            var n = Math.Min(destination.Length, _released - _start);
            _buffer.AsSpan(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }
        catch (RestoreRefusedException refused)
        {
            Refusal = refused;
            abort();
            throw;
        }
        catch
        {
            abort();
            throw;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    /// <summary>Reads more (unless the input ended) and checks as much of the unchecked bytes as can be decided.</summary>
    private void Fill()
    {
        if (!_inputDone)
        {
            Compact();
            var n = input.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
                _inputDone = true;
            _end += n;
        }

        var scanned = _scanner.Scan(_buffer.AsSpan(_released, _end - _released), final: _inputDone);
        _released += scanned;
        if (_inputDone)
            _finished = true;
    }

    /// <summary>Moves what is not handed out yet to the front, growing the buffer when the unchecked rest fills it.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _released -= _start;
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length - _end < ChunkSize)
            Array.Resize(ref _buffer, _buffer.Length * 2);
    }
}
