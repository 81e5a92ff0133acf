namespace Backup.Core.Encryption;

/// <summary>
/// Reads the machine format of <c>gpg --with-colons --list-keys</c> (doc/DETAILS in GnuPG), the
/// only gpg output meant to be parsed: human output changes between versions and locales.
/// </summary>
public static class GpgKeyListing
{
    public static IReadOnlyList<GpgPublicKey> Parse(string colons)
    {
        var keys = new List<GpgPublicKey>();
        Builder? current = null;
        // An "fpr" record belongs to the pub or sub record just before it.
        var awaitingFingerprint = Owner.None;

        foreach (var line in colons.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split(':');
            switch (f[0])
            {
                case "pub":
                    if (current is not null)
                        keys.Add(current.Build());
                    current = new Builder(Field(f, 1), Field(f, 11), Expiry(Field(f, 6)));
                    awaitingFingerprint = Owner.Primary;
                    break;
                case "sub" when current is not null:
                    current.Subkeys.Add((Field(f, 1), Field(f, 11), Expiry(Field(f, 6)), ""));
                    awaitingFingerprint = Owner.Subkey;
                    break;
                case "fpr" when current is not null && f.Length > 9:
                    if (awaitingFingerprint == Owner.Primary)
                        current.Fingerprint = f[9];
                    else if (awaitingFingerprint == Owner.Subkey)
                        current.Subkeys[^1] = current.Subkeys[^1] with { Fingerprint = f[9] };
                    awaitingFingerprint = Owner.None;
                    break;
                case "uid" when current is not null && f.Length > 9:
                    current.UserIds.Add(Unescape(f[9]));
                    break;
            }
        }

        if (current is not null)
            keys.Add(current.Build());
        return keys;
    }

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : "";

    // Field 7: seconds since the epoch under --fixed-list-mode (which every listing here uses); empty for never.
    private static DateTimeOffset? Expiry(string field) =>
        long.TryParse(field, System.Globalization.NumberStyles.None, null, out var seconds) && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    // User IDs escape ':' and other bytes as \xNN in colon listings.
    private static string Unescape(string value)
    {
        if (!value.Contains("\\x", StringComparison.Ordinal))
            return value;
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 3 < value.Length && value[i + 1] == 'x'
                && byte.TryParse(value.AsSpan(i + 2, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 3;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private enum Owner
    {
        None,
        Primary,
        Subkey,
    }

    private sealed class Builder(string validity, string capabilities, DateTimeOffset? expires)
    {
        public string Fingerprint { get; set; } = "";

        public List<string> UserIds { get; } = [];

        public List<(string Validity, string Capabilities, DateTimeOffset? Expires, string Fingerprint)> Subkeys { get; } = [];

        public GpgPublicKey Build() => new(
            Fingerprint,
            Letter(validity),
            capabilities,
            UserIds,
            Subkeys.Select(s => new GpgSubkey(s.Fingerprint, Letter(s.Validity), s.Capabilities, s.Expires)).ToList(),
            expires);

        private static char Letter(string validity) => validity.Length == 0 ? '-' : validity[0];
    }
}
