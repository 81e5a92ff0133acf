using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Tests.Fakes;

namespace Backup.Tests.Restore;

/// <summary>
/// The steps every restore into a database shares (<see cref="DatabaseImport"/>), with a kind's own passes:
/// what a failed import leaves, said as it is.
/// </summary>
public sealed class DatabaseImportSpecs
{
    private readonly ArtifactStore _store = new(new InMemoryDestination("s3-main"));
    private readonly FakeDatabaseServer _server = new();

    private async Task<CatalogEntry> PutAsync(string body)
    {
        _store.Put("pg", "shop", ArtifactStore.T0, System.Text.Encoding.UTF8.GetBytes(body));
        return Assert.Single((await new BackupCatalog(_store.Destination).ReadAsync("pg", null, CancellationToken.None)).Entries);
    }

    private Task<DatabaseRestoreResult> IntoAsync(CatalogEntry entry, DatabaseImportPasses passes, bool force = true) =>
        new DatabaseImport(_store.Destination, ArtifactStore.Codecs, IEventLog.Null).IntoAsync(entry, _server, "shop", force, passes, CancellationToken.None);

    private static Func<Stream, CancellationToken, Task> FailingImport(string message) => async (input, ct) =>
    {
        await input.CopyToAsync(Stream.Null, ct);
        throw new BackupException(message);
    };

    private static Task ReadAll(Stream input, CancellationToken ct) => input.CopyToAsync(Stream.Null, ct);

    [Fact]
    public async Task A_failed_import_of_one_transaction_over_an_existing_database_leaves_it_as_it_was()
    {
        var entry = await PutAsync("CREATE TABLE t ();");
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() =>
            IntoAsync(entry, new DatabaseImportPasses(FailingImport("psql: ERROR: boom")) { Check = ReadAll, Atomic = () => true }));

        Assert.Contains("psql: ERROR: boom", e.Message);
        Assert.Contains("database 'shop' existed before and is left as it was: the import is one transaction, which did not commit", e.Message);
        Assert.DoesNotContain("PARTIALLY", e.Message);
    }

    [Fact]
    public async Task A_failed_import_that_is_not_one_transaction_says_the_database_is_partially_restored()
    {
        var entry = await PutAsync("CREATE TABLE t ();");
        _server.Databases["shop"] = "old;";

        var e = await Assert.ThrowsAsync<BackupException>(() =>
            IntoAsync(entry, new DatabaseImportPasses(FailingImport("pg_restore: error: boom")) { Check = ReadAll }));

        Assert.Contains("database 'shop' existed before and is left PARTIALLY RESTORED", e.Message);
    }

    [Fact]
    public async Task An_object_replaced_after_the_check_pass_never_reaches_its_end_so_one_transaction_leaves_the_database_as_it_was()
    {
        var entry = await PutAsync("CREATE TABLE t ();");
        _server.Databases["shop"] = "old;";
        async Task CheckThenReplace(Stream input, CancellationToken ct)
        {
            await input.CopyToAsync(Stream.Null, ct);
            _store.FlipByte(entry.ObjectKey, 0);
        }

        // The client is given every byte of the replaced object, then a failure where its end would be.
        var e = await Assert.ThrowsAsync<BackupException>(() =>
            IntoAsync(entry, new DatabaseImportPasses((input, ct) => _server.ImportAsync(input, "shop", ct)) { Check = CheckThenReplace, Atomic = () => true }));

        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("database 'shop' existed before and is left as it was", e.Message);
        Assert.Equal("old;", _server.Databases["shop"]);
    }

    [Fact]
    public async Task A_check_pass_that_fails_creates_nothing_and_imports_nothing()
    {
        var entry = await PutAsync("cut sh");

        var e = await Assert.ThrowsAsync<BackupException>(() => IntoAsync(entry,
            new DatabaseImportPasses((input, ct) => _server.ImportAsync(input, "shop", ct))
            {
                Check = (_, _) => throw new InvalidDataException("the SQL script does not end with its line"),
            }, force: false));

        Assert.Contains("does not end with its line; found before anything was applied: no database was created or changed", e.Message);
        Assert.Empty(_server.Databases);
        Assert.Equal(0, _server.ImportsStarted);
    }
}
