using System.Globalization;

namespace Backup.Core.Encryption;

/// <summary>
/// Turns the configured <c>recipient</c> into exactly the one usable primary key it names (see
/// <see cref="GpgRecipientForm"/>), before any data is read, so that a typo, a look-alike key or an
/// expired key fails the run up front with a message instead of after a dump has been taken.
/// </summary>
internal static class GpgRecipient
{
    /// <summary>How long before a key stops encrypting each run starts warning about it.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <param name="keyringName">How messages name the keyring searched.</param>
    /// <param name="fixHint">What to do when the recipient is missing from that keyring.</param>
    public static async Task<GpgPublicKey> ResolveAsync(
        string? homedir, string recipient, string yamlPath, string keyringName, string fixHint, CancellationToken ct)
    {
        // validate refused a bad form already; configs built in code get the same answer here.
        var form = GpgRecipientForm.Parse(recipient, out var formError)
            ?? throw new BackupException($"{yamlPath}.recipient: {formError}");

        var args = Gpg.Arguments(homedir);
        args.AddRange(["--with-colons", "--fixed-list-mode", "--list-keys", "--", form.SearchTerm]);
        var (outcome, stdout) = await Gpg.CaptureAsync(args, null, ct);
        // gpg's exact-match syntax already narrows the listing; matching again here keeps the rule in
        // one place whatever a gpg version makes of that syntax.
        var keys = GpgKeyListing.Parse(stdout).Where(form.Matches).ToList();

        if (keys.Count == 0)
        {
            // gpg exits 2 with "No public key" when nothing matches; anything else is a real failure.
            var detail = outcome.ExitCode == 0 || outcome.Stderr.Contains("No public key", StringComparison.Ordinal)
                ? ""
                : $" ({outcome.Describe()})";
            throw new BackupException(
                $"{yamlPath}: recipient '{recipient}' not found in {keyringName}{detail}: no key has {form.Describe()} " +
                $"exactly ({fixHint})");
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

    /// <summary>The warning for a key that stops encrypting within <see cref="ExpiryWarning"/> of <paramref name="now"/>, or null.</summary>
    public static string? ExpiryWarningFor(GpgPublicKey key, string yamlPath, DateTimeOffset now)
    {
        if (key.EncryptsUntil() is not { } until || until - now > ExpiryWarning)
            return null;
        var remaining = until - now;
        // Rounded: a key made "10d" ago a moment ago has 9.99 days left, which users call 10.
        var days = (int)Math.Round(remaining.TotalDays, MidpointRounding.AwayFromZero);
        var left = remaining.TotalDays switch
        {
            <= 0 => "now",
            < 1 => "in less than a day",
            _ => days == 1 ? "in 1 day" : $"in {days} days",
        };
        return $"{yamlPath}: key {key.Describe()} expires on " +
               $"{until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({left}), and every run " +
               $"fails from then on; extend it (gpg --quick-set-expire {key.Fingerprint} 1y; add '*' to extend its subkeys) " +
               "and export it again wherever public_key holds a copy, or point recipient at a new key";
    }

    private static string DescribeWithState(GpgPublicKey key) =>
        key.UnusableReason() is { } reason ? $"{key.Describe()} [{reason}]" : key.Describe();

    // Reasons read "expired" or "it has no ...": keep the sentence grammatical either way.
    private static string Phrase(string reason) =>
        reason.StartsWith("it", StringComparison.Ordinal) ? "unusable: " + reason : reason;
}
