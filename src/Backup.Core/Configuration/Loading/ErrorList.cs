namespace Backup.Core.Configuration.Loading;

/// <summary>Collects every config problem so that the user sees all of them in one run.</summary>
internal sealed class ErrorList
{
    private const int MinimumMaskedLength = 4;

    private readonly List<ConfigError> _errors = [];

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    /// <summary>Line 0 comes from nodes made up by the loader (an empty file): it is not a line to show.</summary>
    public void Add(string yamlPath, int? line, string message) =>
        _errors.Add(new ConfigError(yamlPath, line is > 0 ? line : null, message));

    /// <summary>
    /// Errors in file order, which is how a user reads and fixes them, with any of
    /// <paramref name="secrets"/> masked. Very short values are left alone: masking every "a" would
    /// garble messages while hiding nothing worth hiding.
    /// </summary>
    public IReadOnlyList<ConfigError> Sorted(IEnumerable<string>? secrets = null)
    {
        var masks = (secrets ?? []).Where(s => s.Length >= MinimumMaskedLength).OrderByDescending(s => s.Length).ToList();
        return _errors.Select((error, index) => (error, index))
            .OrderBy(e => e.error.Line ?? 0)
            .ThenBy(e => e.index)
            .Select(e => masks.Count == 0 ? e.error : e.error with { Message = Mask(e.error.Message, masks) })
            .ToList();
    }

    private static string Mask(string message, List<string> secrets) =>
        secrets.Aggregate(message, (text, secret) => text.Replace(secret, "***", StringComparison.Ordinal));
}
