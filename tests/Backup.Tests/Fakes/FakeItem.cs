using Backup.Core.Catalog;
using Backup.Core.Sources;

namespace Backup.Tests.Fakes;

/// <summary>An item that writes given bytes, then optionally fails as a producer would after its last byte.</summary>
public sealed class FakeItem(string name, byte[] content, Exception? failAfterWriting = null, ChainInfo? chain = null) : IBackupItem
{
    public string Name { get; } = name;
    public string Producer => "fake";
    public string Extension => ".raw";
    public ChainInfo? Chain { get; } = chain;
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? Completeness { get; init; }

    /// <summary>Bytes per write: small ones trickle out like a dump.</summary>
    public int ChunkSize { get; init; } = 100_000;
    public string? CommittedKey { get; private set; }
    public bool Aborted { get; private set; }

    /// <summary>Thrown by <see cref="CheckAsync"/>, as a database the server does not have would.</summary>
    public Exception? FailCheck { get; init; }

    public int Checks { get; private set; }

    public bool Written { get; private set; }

    public Task CheckAsync(CancellationToken ct)
    {
        Checks++;
        return FailCheck is null ? Task.CompletedTask : throw FailCheck;
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        Written = true;
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
            await output.WriteAsync(content.AsMemory(offset, Math.Min(ChunkSize, content.Length - offset)), ct);
        if (failAfterWriting is not null)
            throw failAfterWriting;
    }

    /// <summary>Thrown by <see cref="CommitAsync"/>, as a snapshot rename on a full disk would.</summary>
    public Exception? FailCommit { get; init; }

    public Task CommitAsync(string storedKey, CancellationToken ct)
    {
        if (FailCommit is not null)
            throw FailCommit;
        CommittedKey = storedKey;
        return Task.CompletedTask;
    }

    public Task AbortAsync()
    {
        Aborted = true;
        return Task.CompletedTask;
    }
}
