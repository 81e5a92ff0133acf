namespace Backup.Core.Configuration.Loading;

/// <summary>
/// The destination, encryption and notification names a source may refer to. Every name under the section counts,
/// even one whose settings are wrong, so that one mistake is not reported twice.
/// </summary>
internal sealed class DefinedNames(
    ErrorList errors, IReadOnlyList<string> destinations, IReadOnlyList<string> encryptions, IReadOnlyList<string> notifications)
{
    public void CheckDestination(string yamlPath, int line, string name) =>
        Check(yamlPath, line, name, "destinations", destinations);

    public void CheckEncryption(string yamlPath, int line, string name) =>
        Check(yamlPath, line, name, "encryptions", encryptions);

    public void CheckNotification(string yamlPath, int line, string name) =>
        Check(yamlPath, line, name, "notifications", notifications);

    private void Check(string yamlPath, int line, string name, string section, IReadOnlyList<string> defined)
    {
        if (defined.Contains(name))
        {
            return;
        }

        var hint = DidYouMean.Suffix(name, defined);
        if (hint.Length == 0)
        {
            hint = defined.Count == 0
                ? $"; add it under `{section}`"
                : $"; defined: {string.Join(", ", defined)}";
        }

        errors.Add(yamlPath, line, $"'{name}' is not defined under {section}{hint}");
    }
}
