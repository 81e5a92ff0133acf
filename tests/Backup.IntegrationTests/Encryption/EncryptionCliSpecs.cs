using System.Text.Json;
using System.Text.RegularExpressions;
using Backup.Core.Catalog;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Encryption;

/// <summary>
/// The `backup` program with real gpg, a directory source and a local destination: the key an
/// artifact is encrypted to is exactly the one the config names, as the user meets it.
/// </summary>
public sealed partial class EncryptionCliSpecs : IAsyncLifetime
{
    private readonly TempDir _dir = new("gpg-cli");
    private GpgTestKeyring _gpg = null!;

    private string Store => _dir.Combine("store");

    public async Task InitializeAsync()
    {
        _gpg = await GpgTestKeyring.CreateAsync();
        _dir.Write("data/rows.txt", "row 1\nrow 2\n");
        _dir.CreateDirectory("store");
    }

    public async Task DisposeAsync()
    {
        await _gpg.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_keyring_holding_only_a_look_alike_key_fails_the_source_before_any_data_is_read()
    {
        await _gpg.GenerateKeyAsync("Mallory", "malice@ex.com.evil.org");
        var config = Config("alice@ex.com");

        var run = await BackupCli.RunAsync(["run", "--config", config, "--json"]);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr}");
        using var report = JsonDocument.Parse(run.Stdout);
        var artifact = Assert.Single(report.RootElement.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("failed", artifact.GetProperty("status").GetString());
        Assert.Contains("recipient 'alice@ex.com' not found", artifact.GetProperty("error").GetString());
        Assert.Contains("FAILED home", run.Stderr);
        Assert.DoesNotContain("Mallory", run.Stderr);
        // The source's lock may leave its folder behind, never a file.
        Assert.Empty(Directory.GetFiles(Store, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_short_key_id_is_refused_by_validate_and_run_naming_the_yaml_path_and_line()
    {
        var config = Config("0xDEADBEEF");

        var validate = await BackupCli.RunAsync(["validate", "--config", config]);
        var run = await BackupCli.RunAsync(["run", "--config", config]);

        foreach (var result in new[] { validate, run })
        {
            Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
            Assert.Contains("encryptions.main.recipient (line 12): '0xDEADBEEF' is a short key id", result.Stderr);
            Assert.Contains("full fingerprint", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
        }

        Assert.Empty(Directory.GetFileSystemEntries(Store));
    }

    [Fact]
    public async Task Encrypt_to_in_the_keyring_s_gpg_conf_adds_no_reader_to_the_artifact()
    {
        var alice = await _gpg.GenerateKeyAsync("Alice", "alice@ex.com");
        await _gpg.GenerateKeyAsync("Carol", "carol@ex.com");
        await _gpg.WriteGpgConfAsync("encrypt-to carol@ex.com\n");
        var config = Config("alice@ex.com");

        var run = await BackupCli.RunAsync(["run", "--config", config]);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        var artifact = Assert.Single(Directory.GetFiles(Store, "*.gpg", SearchOption.AllDirectories));
        var packets = await _gpg.ListPacketsAsync(await File.ReadAllBytesAsync(artifact));
        var recipient = Assert.Single(PublicKeyPackets().Matches(packets));
        var aliceEncryptionKeys = await _gpg.RunAsync(["--with-colons", "--list-keys", "--", alice.Fingerprint]);
        Assert.Contains($":{recipient.Groups[1].Value}:", aliceEncryptionKeys);
        var manifest = Manifest.Parse(await File.ReadAllBytesAsync(Manifest.KeyFor(artifact)), artifact);
        Assert.Equal(alice.Fingerprint, manifest.EncryptionKey);
    }

    [Fact]
    public async Task A_key_expiring_in_10_days_is_a_warning_of_the_run_and_of_each_artifact_in_the_json_report()
    {
        var soon = await _gpg.GenerateKeyAsync("Soon", "soon@example.org", expire: "10d");
        var config = Config("soon@example.org");

        var run = await BackupCli.RunAsync(["run", "--config", config, "--json"]);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using var report = JsonDocument.Parse(run.Stdout);
        var artifact = Assert.Single(report.RootElement.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("warning", artifact.GetProperty("status").GetString());
        var warning = Assert.Single(artifact.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith($"encryptions.main: key {soon.Fingerprint} (Soon <soon@example.org>) expires on ", warning);
        Assert.Contains("(in 10 days)", warning);
        Assert.Contains("warning home/data: " + warning, run.Stderr);
        Assert.Single(Directory.GetFiles(Store, "*.gpg", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Restore_with_a_passphrase_protected_key_and_no_pinentry_says_so()
    {
        await _gpg.GenerateKeyAsync("Locked", "locked@example.org", passphrase: "correct horse");
        var config = Config("locked@example.org");
        var run = await BackupCli.RunAsync(["run", "--config", config]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        await _gpg.RemovePinentryAsync();

        var restore = await BackupCli.RunAsync(["restore", "home", "--to", _dir.Combine("restored"), "--config", config, "--gnupg-home", _gpg.Home]);

        Assert.True(restore.ExitCode == 1, $"exit {restore.ExitCode}: {restore.Stderr}");
        Assert.Contains("is protected by a passphrase and gpg could not ask for it (gpg-agent could not start a pinentry program)", restore.Stderr);
        Assert.Contains("export GPG_TTY=$(tty)", restore.Stderr);
        Assert.DoesNotContain("import it", restore.Stderr);
        Assert.DoesNotContain("   at ", restore.Stderr);
    }

    private string Config(string recipient) => _dir.Write("backup.yaml", $"""
        sources:
          directories:
            home:
              path: {_dir.Combine("data")}
              encryption: main
              destination: local
        destinations:
          local: {"{"} method: local, path: {Store} {"}"}
        encryptions:
          main:
            method: gpg
            recipient: "{recipient}"
            gnupg_home: {_gpg.Home}
        """);

    // ":pubkey enc packet: version 3, algo 18, keyid B84F1BC242CA9DB2"
    [GeneratedRegex(@":pubkey enc packet:.*keyid ([0-9A-F]{16})")]
    private static partial Regex PublicKeyPackets();
}
