using System.Text;
using Backup.Core.Processes;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// pg_dump reads servers of its own major version and older ones only: against a newer server it
/// stops with "server version mismatch" after connecting. Checked here before anything runs, naming
/// both versions and what to install.
/// </summary>
public static class ClientVersionCheck
{
    /// <summary>The version <paramref name="program"/> reports with <c>--version</c>; needs no server.</summary>
    public static async Task<PostgreSqlVersion> ProgramVersionAsync(string program, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var outcome = await ChildProcess.RunAsync(ChildProcess.Create(program, ["--version"]), null, stdout, ct);
        var text = Encoding.UTF8.GetString(stdout.ToArray()).Trim();
        if (outcome.ExitCode != 0)
            throw new BackupException($"'{program} --version' failed ({outcome.DescribeEnd()}); is the PostgreSQL client installed?");
        return PostgreSqlVersion.FromVersionLine(text)
               ?? throw new BackupException($"'{program} --version' printed no PostgreSQL version ('{Shorten(text)}'); is it PostgreSQL's pg_dump?");
    }

    /// <summary>Throws unless <paramref name="dump"/> can dump a server of <paramref name="server"/>'s version.</summary>
    public static void Require(PostgreSqlVersion dump, PostgreSqlVersion server, string program, string serverDescription)
    {
        if (dump.Major >= server.Major)
            return;
        throw new BackupException(
            $"{program} is version {dump}, older than the PostgreSQL server {serverDescription}, which runs {server}: pg_dump cannot " +
            $"dump a newer server. Install the PostgreSQL {server.MajorText} client or later (Debian/Ubuntu: " +
            $"postgresql-client-{server.MajorText}) and put its pg_dump first on PATH");
    }

    /// <summary>Logs in, asks both versions and refuses an older pg_dump; returns both for the log.</summary>
    public static async Task<(PostgreSqlVersion Dump, PostgreSqlVersion Server)> CheckAsync(PostgreSqlClient client, CancellationToken ct)
    {
        var dump = await ProgramVersionAsync(client.Programs.PgDump, ct);
        var server = await client.ServerVersionAsync(ct);
        Require(dump, server, client.Programs.PgDump, client.Describe());
        return (dump, server);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
