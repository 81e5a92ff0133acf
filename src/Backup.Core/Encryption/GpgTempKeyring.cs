using System.Text;

namespace Backup.Core.Encryption;

/// <summary>
/// A private keyring holding only the configured <c>public_key</c>, so that encryption depends on
/// neither the user's keyring nor its trust settings. Mode 0700 under the temp dir (gpg refuses or
/// warns otherwise); deleted on dispose, with any gpg-agent gpg may have started there.
/// </summary>
internal sealed class GpgTempKeyring : IAsyncDisposable
{
    private GpgTempKeyring(string home) => Home = home;

    public string Home { get; }

    public static async Task<GpgTempKeyring> ImportAsync(string armoredKey, string yamlPath, CancellationToken ct)
    {
        // CreateTempSubdirectory uses mkdtemp: a fresh name, mode 0700.
        var keyring = new GpgTempKeyring(Directory.CreateTempSubdirectory("backup-gpg-").FullName);
        try
        {
            var args = Gpg.Arguments(keyring.Home);
            args.AddRange(["--quiet", "--import"]);
            using var key = new MemoryStream(Encoding.UTF8.GetBytes(armoredKey));
            var outcome = await Gpg.RunAsync(args, key, null, ct);
            if (outcome.ExitCode != 0)
                throw new BackupException(
                    $"{yamlPath}.public_key: gpg could not import it; is it an armored OpenPGP public key " +
                    $"(gpg --armor --export)? ({outcome.Describe()})");
            return keyring;
        }
        catch
        {
            await keyring.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Importing and encrypting need no agent, but a gpg.conf or a future gpg might start one;
        // an agent left behind would keep its socket (and the directory) alive.
        if (Directory.EnumerateFileSystemEntries(Home, "S.*").Any())
        {
            try
            {
                var kill = Processes.ChildProcess.Create("gpgconf", ["--homedir", Home, "--kill", "all"]);
                await Processes.ChildProcess.RunAsync(kill, null, null, CancellationToken.None);
            }
            catch (BackupException)
            {
                // gpgconf missing: the agent exits by itself once its socket is gone.
            }
        }

        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Only public keys were in it; the OS cleans the temp dir.
        }
    }
}
