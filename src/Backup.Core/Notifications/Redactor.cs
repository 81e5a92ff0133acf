using Backup.Core.Configuration;

namespace Backup.Core.Notifications;

/// <summary>
/// Masks the config's secrets in text that leaves the process in a notification (log lines, error
/// messages). Very short values are left alone, as in config errors: masking every "a" hides nothing.
/// </summary>
public sealed class Redactor
{
    private const int MinimumMaskedLength = 4;

    private readonly IReadOnlyList<string> _secrets;

    public Redactor(IEnumerable<Secret> secrets) =>
        _secrets = secrets.Select(s => s.Reveal()).Where(s => s.Length >= MinimumMaskedLength)
            .Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToList();

    public string Redact(string text) =>
        _secrets.Aggregate(text, (masked, secret) => masked.Replace(secret, "***", StringComparison.Ordinal));
}
