using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>Small facts about YAML nodes that the readers need in their messages.</summary>
internal static class YamlNodes
{
    /// <summary>YamlDotNet marks are 1-based, which is what editors show.</summary>
    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    /// <summary><c>key:</c>, <c>key: ~</c> and <c>key: null</c> mean "not set", as in the seed (PyYAML's None).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing",
        _ => "a single value",
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
