using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Parses the text into one YAML mapping. A first pass over the parser events reports syntax errors
/// and every duplicate key with its path (YamlDotNet's loader would stop at the first duplicate and
/// keep no path), so that the tree is only built from a well-formed document.
/// </summary>
internal static class YamlDocumentReader
{
    public static YamlMappingNode? Read(string text, ErrorList errors)
    {
        var documents = Scan(text, errors);
        if (errors.Any)
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add("(yaml)", (int)e.Start.Line, $"invalid YAML: {e.Message}");
            return null;
        }

        if (documents == 0 || stream.Documents.Count == 0 || YamlNodes.IsNull(stream.Documents[0].RootNode))
        {
            return new YamlMappingNode();
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping)
        {
            return mapping;
        }

        errors.Add("(root)", YamlNodes.LineOf(root),
            $"expected a mapping with sources, destinations and encryptions, found {YamlNodes.Describe(root)}");
        return null;
    }

    /// <summary>Reports syntax errors and duplicate keys; returns how many documents the text holds.</summary>
    private static int Scan(string text, ErrorList errors)
    {
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<Frame>();
        var documents = 0;
        var lastLine = 1;
        try
        {
            while (parser.MoveNext())
            {
                lastLine = (int)parser.Current!.Start.Line;
                switch (parser.Current)
                {
                    case DocumentStart start:
                        if (++documents == 2)
                        {
                            errors.Add("(yaml)", (int)start.Start.Line, "only one YAML document is allowed; remove the extra '---'");
                        }

                        break;
                    case Scalar scalar:
                        OnNode(frames, scalar, errors);
                        Completed(frames);
                        break;
                    case AnchorAlias alias:
                        OnNode(frames, alias, errors);
                        Completed(frames);
                        break;
                    case MappingStart mappingStart:
                        frames.Push(new Frame(OnNode(frames, mappingStart, errors), IsMapping: true));
                        if (TooDeep(frames, mappingStart, errors))
                            return documents;
                        break;
                    case SequenceStart sequenceStart:
                        frames.Push(new Frame(OnNode(frames, sequenceStart, errors), IsMapping: false));
                        if (TooDeep(frames, sequenceStart, errors))
                            return documents;
                        break;
                    case MappingEnd or SequenceEnd:
                        frames.Pop();
                        Completed(frames);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            errors.Add("(yaml)", (int)e.Start.Line, $"invalid YAML: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unclosed flow collections.
            errors.Add("(yaml)", lastLine, "invalid YAML after this line: check for an unclosed '[', '{' or quote");
        }

        return documents;
    }

    /// <summary>Stops the scan at a nesting no config has, before the tree would be built from it.</summary>
    private static bool TooDeep(Stack<Frame> frames, ParsingEvent node, ErrorList errors)
    {
        if (frames.Count <= ConfigLimits.MaxDepth)
            return false;
        errors.Add(frames.Peek().Path, (int)node.Start.Line,
            $"nested more than {ConfigLimits.MaxDepth} levels deep; a config needs only a few (sources.KIND.NAME.key)");
        return true;
    }

    /// <summary>The path of the node that starts now; a key of a mapping is checked for duplicates.</summary>
    private static string OnNode(Stack<Frame> frames, ParsingEvent node, ErrorList errors)
    {
        if (!frames.TryPeek(out var parent))
        {
            return "";
        }

        if (!parent.IsMapping)
        {
            return $"{parent.Path}[{parent.Index}]";
        }

        if (!parent.AtKey)
        {
            return YamlNodes.Join(parent.Path, parent.Key);
        }

        parent.Key = node is Scalar { Value: var key } ? key : "?";
        if (node is Scalar { Value: "<<", Style: ScalarStyle.Plain })
        {
            errors.Add(YamlNodes.Join(parent.Path, parent.Key), (int)node.Start.Line,
                "YAML merge keys ('<<: *anchor') are not supported; write the keys out (anchors and aliases of whole values work)");
        }

        if (node is Scalar && !parent.Seen.TryAdd(parent.Key, (int)node.Start.Line))
        {
            errors.Add(YamlNodes.Join(parent.Path, parent.Key), (int)node.Start.Line,
                $"duplicate key (first set on line {parent.Seen[parent.Key]}); keep only one");
        }

        return YamlNodes.Join(parent.Path, parent.Key);
    }

    /// <summary>A whole node ended: the parent moves from key to value, value to next key, or next item.</summary>
    private static void Completed(Stack<Frame> frames)
    {
        if (!frames.TryPeek(out var parent))
        {
            return;
        }

        if (parent.IsMapping)
        {
            parent.AtKey = !parent.AtKey;
        }
        else
        {
            parent.Index++;
        }
    }

    private sealed record Frame(string Path, bool IsMapping)
    {
        public Dictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

        public bool AtKey { get; set; } = true;

        public string Key { get; set; } = "";

        public int Index { get; set; }
    }
}
