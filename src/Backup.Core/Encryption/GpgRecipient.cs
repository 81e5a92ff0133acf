namespace Backup.Core.Encryption;

/// <summary>
/// Turns the configured <c>recipient</c> (key id, fingerprint, e-mail or name) into exactly one
/// usable primary key, before any data is read, so that a typo or an expired key fails the run up
/// front with a message instead of after a dump has been taken.
/// </summary>
internal static class GpgRecipient
{
    /// <param name="keyringName">How messages name the keyring searched.</param>
    /// <param name="fixHint">What to do when the recipient is missing from that keyring.</param>
    public static async Task<GpgPublicKey> ResolveAsync(
        string? homedir, string recipient, string yamlPath, string keyringName, string fixHint, CancellationToken ct)
    {
        var args = Gpg.Arguments(homedir);
        args.AddRange(["--with-colons", "--fixed-list-mode", "--list-keys", "--", recipient]);
        var (outcome, stdout) = await Gpg.CaptureAsync(args, null, ct);
        var keys = GpgKeyListing.Parse(stdout);

        if (keys.Count == 0)
        {
            // gpg exits 2 with "No public key" when nothing matches; anything else is a real failure.
            var detail = outcome.ExitCode == 0 || outcome.Stderr.Contains("No public key", StringComparison.Ordinal)
                ? ""
                : $" ({outcome.Describe()})";
            throw new BackupException($"{yamlPath}: recipient '{recipient}' not found in {keyringName}{detail} ({fixHint})");
        }

        if (keys.Count > 1)
            throw new BackupException(
                $"{yamlPath}: recipient '{recipient}' is ambiguous: matches {keys.Count} keys in {keyringName} " +
                $"({string.Join(", ", keys.Select(DescribeWithState))}), use a fingerprint");

        var key = keys[0];
        if (key.UnusableReason() is { } reason)
            throw new BackupException(
                $"{yamlPath}: recipient '{recipient}' is unusable for encryption: key {key.Describe()} is {Phrase(reason)}; " +
                "renew or replace the key, or point recipient at another one");
        return key;
    }

    private static string DescribeWithState(GpgPublicKey key) =>
        key.UnusableReason() is { } reason ? $"{key.Describe()} [{reason}]" : key.Describe();

    // Reasons read "expired" or "it has no ...": keep the sentence grammatical either way.
    private static string Phrase(string reason) =>
        reason.StartsWith("it", StringComparison.Ordinal) ? "unusable: " + reason : reason;
}
