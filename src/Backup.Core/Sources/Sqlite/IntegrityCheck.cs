using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backup.Core.Sources.Sqlite;

/// <summary>
/// <c>PRAGMA integrity_check</c> on a copy (never on the live database, whose writers it would hold up
/// for as long as it reads): a copy is shipped only when SQLite answers exactly <c>ok</c>.
/// </summary>
internal static class IntegrityCheck
{
    /// <summary>How many problems SQLite is asked for; the first ones name the damage well enough.</summary>
    private const int MostProblems = 10;

    /// <summary>The problems SQLite reports in <paramref name="copy"/>; empty when it answered exactly <c>ok</c>.</summary>
    public static Task<IReadOnlyList<string>> RunAsync(string copy, CancellationToken ct) => Task.Run(() => Run(copy, ct), ct);

    private static IReadOnlyList<string> Run(string copy, CancellationToken ct)
    {
        using var connection = SqliteConnections.OpenReadOnly(copy);
        using var interrupt = ct.Register(() => raw.sqlite3_interrupt(connection.Handle));
        using var command = SqliteConnections.Command(connection, $"PRAGMA integrity_check({MostProblems})");
        var rows = new List<string>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
                rows.Add(reader.IsDBNull(0) ? "(null)" : reader.GetString(0));
        }
        catch (SqliteException e) when (SqliteFailure.IsInterrupt(e) && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (SqliteException e)
        {
            // A copy so damaged that the check cannot even read it: that is its finding.
            return [$"the check itself failed: {e.Message}"];
        }

        return rows is ["ok"] ? [] : rows.Count == 0 ? ["it returned nothing"] : rows;
    }
}
