using Backup.Core.Configuration;

namespace Backup.Tests.Configuration;

/// <summary>Parses YAML written in a spec, with a fake environment and a base directory.</summary>
internal static class ConfigText
{
    public static BackupConfig Parse(string yaml, string baseDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.Parse(yaml, "backup.yaml", baseDirectory, Lookup(environment));

    /// <summary>The errors the text produces; fails the spec when it parses fine.</summary>
    public static IReadOnlyList<ConfigError> Errors(string yaml, string baseDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var exception = Assert.Throws<ConfigException>(() => Parse(yaml, baseDirectory, environment));
        Assert.NotEmpty(exception.Errors);
        return exception.Errors;
    }

    public static ConfigException Failure(string yaml, string baseDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, baseDirectory, environment));

    /// <summary>Asserts that an error sits at exactly this path and line and says this.</summary>
    public static void AssertHas(IReadOnlyList<ConfigError> errors, string path, int? line, string fragment)
    {
        var found = errors.Any(e => e.YamlPath == path && e.Line == line && e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(found,
            $"expected an error at {path} (line {line}) containing \"{fragment}\", got:{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors));
    }

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string>? environment) =>
        name => environment is not null && environment.TryGetValue(name, out var value) ? value : null;
}
