using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Pipeline;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// <c>globals: true</c>: what no database dump holds, the roles (memberships, settings, password
/// hashes) and tablespaces, as one <c>.sql</c> artifact per run by <c>pg_dumpall --globals-only</c>
/// (item <see cref="GlobalsArtifact.ItemName"/>). It holds password hashes: like every artifact it is
/// written 0600 and encrypted when the source is. A login that is no superuser cannot read them: the
/// roles are then dumped without passwords, and a warning says so.
/// </summary>
internal sealed class PostgreSqlGlobalsItem(string sourcePath, PostgreSqlClient client, IEventLog log) : IBackupItem
{
    private readonly List<string> _warnings = [];
    private bool? _superuser;

    public string Name => GlobalsArtifact.ItemName;

    public string Producer => "pg_dumpall";

    public string Extension => ".sql";

    public ChainInfo? Chain => null;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The check the finished dump passed (its completion line); null until it has.</summary>
    public PgDumpCheck? Check { get; private set; }

    /// <summary>For the manifest: <see cref="Check"/> in its words.</summary>
    public string? Completeness => Check?.ManifestValue();

    public async Task CheckAsync(CancellationToken ct)
    {
        _warnings.Clear();
        try
        {
            _superuser = await client.IsSuperuserAsync(ct);
        }
        catch (BackupException e)
        {
            throw new BackupException($"{sourcePath}: reading the roles failed: {e.Message}", e);
        }

        if (_superuser == false)
        {
            var warning = $"{sourcePath}: the login is no superuser, so the roles' password hashes cannot be read (pg_authid): " +
                          "the globals are dumped with --no-role-passwords, and restored roles have no password";
            _warnings.Add(warning);
            log.Warn(warning);
        }
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        if (_superuser is null)
            await CheckAsync(ct);
        Check = null;
        var database = await client.MaintenanceDatabaseAsync(ct);
        var trailer = PlainDumpTrailer.ForGlobals();
        var arguments = PgDumpAllArguments.Globals(client.Connection.ToConnectionString(database), database, rolePasswords: _superuser!.Value);
        var outcome = await client.RunAsync(client.Programs.PgDumpAll, arguments, null, new ObservedStream(output, trailer.Observe), ct);
        if (outcome.ExitCode != 0)
            throw new BackupException($"{sourcePath}: pg_dumpall --globals-only failed: {client.Failure(outcome, database).Message}");
        if (!trailer.IsComplete)
            throw new BackupException(
                $"{sourcePath}: pg_dumpall --globals-only ended after {trailer.BytesSeen} bytes without its '{trailer.CompletionLine}' " +
                "line, so the dump is incomplete");
        Check = PgDumpCheck.Trailer;
    }

    public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;

    public Task AbortAsync() => Task.CompletedTask;
}
