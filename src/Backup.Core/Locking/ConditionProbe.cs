using Backup.Core.Destinations;

namespace Backup.Core.Locking;

/// <summary>
/// Finds out whether a store really honours conditional writes, since some S3-compatible servers
/// accept the headers and write anyway (s3rver). On a fresh key: a create must succeed and a second
/// create must not; a replace with a wrong version must not and one with the right version must. Any
/// other answer, or a store that cannot do them at all, means the list-and-check protocol.
/// </summary>
internal static class ConditionProbe
{
    public static async Task<bool> HonoursConditionsAsync(IDestination destination, string source, CancellationToken ct)
    {
        var key = LockKeys.Probe(source);
        try
        {
            if (await destination.CreateIfAbsentAsync(key, "{\"probe\":1}"u8.ToArray(), ct) is not { } first)
                return false;
            if (await destination.CreateIfAbsentAsync(key, "{\"probe\":2}"u8.ToArray(), ct) is not null)
                return false;
            var wrong = $"\"{Guid.NewGuid():N}\"";
            if (await destination.ReplaceIfVersionAsync(key, "{\"probe\":3}"u8.ToArray(), wrong, ct) is not null)
                return false;
            return await destination.ReplaceIfVersionAsync(key, "{\"probe\":4}"u8.ToArray(), first, ct) is not null;
        }
        catch (NotSupportedException)
        {
            return false;
        }
        finally
        {
            try
            {
                await destination.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception e) when (e is BackupException or IOException)
            {
                // A leftover probe is inert: every listing skips lock keys.
            }
        }
    }
}
