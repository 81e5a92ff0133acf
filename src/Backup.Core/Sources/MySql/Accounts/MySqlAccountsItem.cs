using Backup.Core.Catalog;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.MySql.Accounts;

/// <summary>
/// <c>users: true</c>: the server's accounts and grants, one <c>.sql</c> artifact per run beside the
/// databases' (item <see cref="AccountsArtifact.ItemName"/>). MariaDB's client writes them with
/// <c>--system=users</c> against a MariaDB server; otherwise SHOW CREATE USER and SHOW GRANTS do.
/// It holds password hashes: like every artifact it is written 0600 and encrypted when the source is.
/// </summary>
internal sealed class MySqlAccountsItem(
    string sourcePath, MySqlClient client, MySqlClientFlavour dumpClient, bool serverIsMariaDb, Version serverVersion) : IBackupItem
{
    public string Name => AccountsArtifact.ItemName;

    public string Producer => "mysqldump";

    public string Extension => ".sql";

    public ChainInfo? Chain => null;

    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    // Accounts and grants are small: the dump is held whole, so that a failed --system=users can fall
    // back to SHOW statements without having sent a byte of it on.
    private const int MaxBytes = 64 << 20;

    /// <summary>
    /// What a run checks before the accounts are dumped, read-only (a dry run does the same): this login
    /// may read the server's account list, which either way of dumping them needs.
    /// </summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        try
        {
            await client.ListAccountsAsync(ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: reading the accounts failed: {e.Message}; 'users: true' needs a login that may read mysql.user", e);
        }
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        _warnings.Clear();
        if (serverIsMariaDb && dumpClient.HasSystemUsers)
        {
            var dump = new MemoryStream();
            var trailer = new DumpTrailer();
            var outcome = await client.RunAsync(MySqlClient.DumpProgram,
                ["--system=users", "--default-character-set=utf8mb4", MySqlDumpArguments.PacketLimit],
                null, new ObservedStream(new BoundedStream(dump, MaxBytes), trailer.Observe), ct);
            if (outcome.ExitCode == 0 && trailer.IsComplete)
            {
                dump.Position = 0;
                await dump.CopyToAsync(output, ct);
                return;
            }

            // mariadb-dump stops at an account SHOW CREATE USER cannot show (a host name under
            // skip_name_resolve): the SHOW statements below skip it and say so.
            if (!outcome.Stderr.Contains("(1133)", StringComparison.Ordinal))
                throw new BackupException($"{sourcePath}: dumping the accounts failed ({MySqlClient.DescribeExit(outcome)})");
        }

        var skipped = new List<string>();
        string script;
        try
        {
            script = await client.AccountsScriptAsync(serverIsMariaDb, serverVersion, skipped, ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: reading the accounts failed: {e.Message}", e);
        }

        if (skipped.Count > 0)
            _warnings.Add($"{sourcePath}: accounts {string.Join(", ", skipped)} are in mysql.user but the server does not show them " +
                          "(a host name while skip_name_resolve is on, so it ignores them): they are not in the backup");
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(script), ct);
    }

    /// <summary>A memory stream that refuses to grow past a limit.</summary>
    private sealed class BoundedStream(MemoryStream inner, int limit) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (inner.Length + count > limit)
                throw new IOException($"the accounts dump is larger than {limit >> 20} MiB");
            inner.Write(buffer, offset, count);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

    public Task AbortAsync() => Task.CompletedTask;
}
