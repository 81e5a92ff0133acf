using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Typed access to one YAML mapping. Every problem is recorded with its path and line and the reader
/// carries on, returning null, so that one run reports every error in the file.
/// </summary>
internal sealed class MappingReader(LoadContext context, string path, YamlMappingNode node, int line)
{
    private static readonly string[] TrueWords = ["true", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "no", "off"];

    private readonly HashSet<string> _failed = [];

    public LoadContext Context => context;

    public string Path => path;

    /// <summary>Line of the key that introduced this mapping; missing keys are reported there.</summary>
    public int Line => line;

    public ErrorList Errors => context.Errors;

    public string PathOf(string key) => YamlNodes.Join(path, key);

    /// <summary>Line of the key's value if present, else of this mapping.</summary>
    public int LineOf(string key) => Find(key) is { } value ? YamlNodes.LineOf(value) : line;

    /// <summary>Reports keys outside <paramref name="allowed"/>, each with the closest known key.</summary>
    public void AllowOnly(IReadOnlyCollection<string> allowed)
    {
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                Errors.Add(path, YamlNodes.LineOf(key), $"keys must be plain names, found {YamlNodes.Describe(key)}");
            }
            else if (!allowed.Contains(name))
            {
                Errors.Add(PathOf(name), YamlNodes.LineOf(key), "unknown key" + DidYouMean.Suffix(name, allowed));
            }
        }
    }

    /// <summary>The value node, or null when the key is absent or explicitly null.</summary>
    public YamlNode? Find(string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !YamlNodes.IsNull(value) ? value : null;

    public bool Has(string key) => Find(key) is not null;

    /// <summary>The entries of a <c>NAME: {...}</c> section (sources, destinations, encryptions).</summary>
    public IEnumerable<(string Name, MappingReader Reader)> NamedMappings()
    {
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                continue; // already reported by AllowOnly or by the section reader
            }

            var childPath = PathOf(name);
            if (value is YamlMappingNode mapping)
            {
                yield return (name, new MappingReader(context, childPath, mapping, YamlNodes.LineOf(key)));
            }
            else
            {
                Errors.Add(childPath, YamlNodes.LineOf(key), $"expected a mapping of settings, found {YamlNodes.Describe(value)}");
            }
        }
    }

    /// <summary>Names of the entries in this mapping, in file order (for sections whose entries are named).</summary>
    public IEnumerable<(string Name, int Line)> Keys() =>
        node.Children.Keys.OfType<YamlScalarNode>()
            .Where(k => !string.IsNullOrEmpty(k.Value))
            .Select(k => (k.Value!, YamlNodes.LineOf(k)));

    public MappingReader? Mapping(string key)
    {
        var value = Find(key);
        switch (value)
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                var keyLine = node.Children.Keys.First(k => k is YamlScalarNode s && s.Value == key);
                return new MappingReader(context, PathOf(key), mapping, YamlNodes.LineOf(keyLine));
            default:
                Errors.Add(PathOf(key), YamlNodes.LineOf(value), $"expected a mapping, found {YamlNodes.Describe(value)}");
                _failed.Add(PathOf(key));
                return null;
        }
    }

    /// <summary>An interpolated string, or null when absent, null, empty or wrong.</summary>
    public string? String(string key, bool secret = false)
    {
        var value = Find(key);
        if (value is null)
        {
            return null;
        }

        var text = Scalar(value, PathOf(key), secret);
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public string? RequiredString(string key, string hint)
    {
        if (!Has(key))
        {
            Errors.Add(PathOf(key), line, $"is required: {hint}");
            return null;
        }

        var text = String(key);
        if (text is null && !Failed(key))
        {
            Errors.Add(PathOf(key), LineOf(key), $"must not be empty: {hint}");
        }

        return text;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        Errors.Add(PathOf(key), LineOf(key), $"expected true or false, found '{text}'");
        return null;
    }

    public int? Int(string key, int min, int max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Errors.Add(PathOf(key), LineOf(key), $"expected a whole number, found '{text}'");
            return null;
        }

        if (number < min || number > max)
        {
            var range = max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            Errors.Add(PathOf(key), LineOf(key), $"must be {range}, found {number}");
            return null;
        }

        return number;
    }

    /// <summary>One of <paramref name="allowed"/> (exact spelling), or null with an error naming them all.</summary>
    public string? Choice(string key, IReadOnlyList<string> allowed)
    {
        var text = String(key);
        if (text is null || allowed.Contains(text))
        {
            return text;
        }

        Errors.Add(PathOf(key), LineOf(key),
            $"'{text}' is not one of {string.Join(", ", allowed)}" + DidYouMean.Suffix(text, allowed));
        return null;
    }

    /// <summary>A list of strings; null when absent or wrong.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        var value = Find(key);
        switch (value)
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                var items = Items(PathOf(key), sequence);
                if (items is null)
                {
                    _failed.Add(PathOf(key));
                }

                return items;
            default:
                Errors.Add(PathOf(key), YamlNodes.LineOf(value), $"expected a list of strings, found {YamlNodes.Describe(value)}");
                _failed.Add(PathOf(key));
                return null;
        }
    }

    /// <summary>
    /// A list of names, each at most once: a repeat (<c>databases: [shop, shop]</c>) would make the same
    /// thing twice at once, so it is reported at the repeat's own path and line.
    /// </summary>
    public IReadOnlyList<string>? UniqueStringList(string key)
    {
        var items = StringList(key);
        if (items is null || Find(key) is not YamlSequenceNode sequence)
            return items;
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (first.TryAdd(items[i], i))
                continue;
            Errors.Add($"{PathOf(key)}[{i}]", YamlNodes.LineOf(sequence.Children[i]),
                $"'{items[i]}' is listed twice (first as {PathOf(key)}[{first[items[i]]}]); list it once");
            _failed.Add(PathOf(key));
        }

        return items;
    }

    /// <summary>A single string (the seed's form) or a list of strings (an extension); empty when absent.</summary>
    public IReadOnlyList<string> OneOrMany(string key)
    {
        var value = Find(key);
        if (value is YamlSequenceNode sequence)
        {
            return Items(PathOf(key), sequence) ?? [];
        }

        return String(key) is { } single ? [single] : [];
    }

    private List<string>? Items(string listPath, YamlSequenceNode sequence)
    {
        var items = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{listPath}[{i}]";
            var item = sequence.Children[i];
            var text = YamlNodes.IsNull(item) ? null : Scalar(item, itemPath, secret: false);
            if (string.IsNullOrEmpty(text))
            {
                if (YamlNodes.IsNull(item) || text == "")
                {
                    Errors.Add(itemPath, YamlNodes.LineOf(item), "list items must not be empty");
                }

                ok = false;
                continue;
            }

            items.Add(text);
        }

        return ok ? items : null;
    }

    /// <summary>
    /// The text of a scalar found below this mapping's values (an item of a nested list), with
    /// <c>${VAR}</c> expanded; the variables it used are added to <paramref name="used"/>. Null when it
    /// is not a scalar or a variable is wrong, already reported at <paramref name="valuePath"/>.
    /// </summary>
    public string? Text(YamlNode value, string valuePath, ICollection<string> used) => Scalar(value, valuePath, secret: false, used);

    /// <summary>
    /// The scalar's text with <c>${VAR}</c> expanded. Messages never quote the value: for secret keys
    /// it is the secret.
    /// </summary>
    private string? Scalar(YamlNode value, string valuePath, bool secret, ICollection<string>? usedVariables = null)
    {
        if (value is not YamlScalarNode scalar)
        {
            Errors.Add(valuePath, YamlNodes.LineOf(value), $"expected a single value, found {YamlNodes.Describe(value)}");
            _failed.Add(valuePath);
            return null;
        }

        var used = new List<string>();
        var expanded = context.Interpolator.Expand(scalar.Value ?? "", used, secret, out var error);
        if (error is not null)
        {
            Errors.Add(valuePath, YamlNodes.LineOf(value), error);
            _failed.Add(valuePath);
            return null;
        }

        foreach (var name in used)
        {
            usedVariables?.Add(name);
        }

        if (secret)
        {
            context.SecretVariables.UnionWith(used);
            context.SecretValues.Add(expanded!);
            // Each variable's value too: "Bearer ${NTFY_TOKEN}" is masked, and so is the token alone
            // wherever it shows up (in a URL, in a server's reply).
            foreach (var name in used)
            {
                if (context.Interpolator.ValueOf(name) is { Length: > 0 } variableValue)
                    context.SecretValues.Add(variableValue);
            }
        }

        return expanded;
    }

    /// <summary>True when the key's value was present but unusable (wrong type, bad <c>${VAR}</c>), already reported.</summary>
    public bool Failed(string key) => _failed.Contains(PathOf(key));
}
