namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Reads and checks the keys shared by every source: where the artifact goes (temp, destination,
/// cleanup), how it is compressed, which encryption it uses, how long it is kept (retention, prune),
/// what runs around it (hooks), how old its newest backup may be (max_age), who hears of its runs (notify),
/// and when <c>backup daemon</c> runs it (schedule, timezone, catch_up).
/// </summary>
internal sealed class SourceCommonReader(DefinedNames names)
{
    private static readonly Dictionary<string, CompressionKind> Compressions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = CompressionKind.None,
        ["gzip"] = CompressionKind.Gzip,
        ["bzip2"] = CompressionKind.Bzip2,
        ["zstd"] = CompressionKind.Zstd,
    };

    private static readonly Dictionary<CompressionKind, (int Min, int Max)> LevelRanges = new()
    {
        [CompressionKind.Gzip] = (1, 9),
        [CompressionKind.Bzip2] = (1, 9),
        [CompressionKind.Zstd] = (1, 19),
    };

    public SourceCommon Read(MappingReader map)
    {
        var compress = ReadCompress(map);
        var level = ReadLevel(map, compress);
        var encryption = map.String("encryption");
        if (encryption is not null)
        {
            names.CheckEncryption(map.PathOf("encryption"), map.LineOf("encryption"), encryption);
        }

        var destinations = map.OneOrMany("destination");
        foreach (var duplicate in destinations.GroupBy(d => d).Where(g => g.Count() > 1))
        {
            map.Errors.Add(map.PathOf("destination"), map.LineOf("destination"), $"'{duplicate.Key}' is listed more than once");
        }

        foreach (var destination in destinations.Distinct())
        {
            names.CheckDestination(map.PathOf("destination"), map.LineOf("destination"), destination);
        }

        var cleanup = map.Bool("cleanup") ?? true;
        var temp = ReadTemp(map, destinations.Count > 0, cleanup);
        var retention = RetentionReader.Read(map);
        var prune = map.Bool("prune") ?? true;
        var hooks = HooksReader.Read(map);
        var notify = ReadNotify(map);
        return new SourceCommon(temp, compress ?? CompressionKind.None, level, encryption, destinations, cleanup, retention, prune, hooks,
            ReadMaxAge(map), notify, ScheduleReader.Read(map));
    }

    /// <summary><c>notify: [name, ...]</c>: entries under <c>notifications</c>; <c>[]</c> is none, absent is all.</summary>
    private IReadOnlyList<string>? ReadNotify(MappingReader map)
    {
        if (!map.Has("notify"))
        {
            return null;
        }

        var notify = map.Find("notify") is YamlDotNet.RepresentationModel.YamlSequenceNode
            ? map.UniqueStringList("notify")
            : map.String("notify") is { } one ? [one] : null;
        if (notify is null)
        {
            return null;
        }

        if (map.Find("notify") is YamlDotNet.RepresentationModel.YamlSequenceNode sequence)
        {
            for (var i = 0; i < notify.Count; i++)
                names.CheckNotification($"{map.PathOf("notify")}[{i}]", YamlNodes.LineOf(sequence.Children[i]), notify[i]);
        }
        else
        {
            names.CheckNotification(map.PathOf("notify"), map.LineOf("notify"), notify[0]);
        }

        return notify;
    }

    private static CompressionKind? ReadCompress(MappingReader map)
    {
        var text = map.String("compress");
        if (text is null)
        {
            // Absent, null or "" (the seed's `compress: ""`): no compression.
            return map.Failed("compress") ? null : CompressionKind.None;
        }

        if (Compressions.TryGetValue(text, out var kind))
        {
            return kind;
        }

        map.Errors.Add(map.PathOf("compress"), map.LineOf("compress"),
            $"'{text}' is not a compression: use gzip, bzip2, zstd or none" + DidYouMean.Suffix(text, Compressions.Keys));
        return null;
    }

    private static int? ReadLevel(MappingReader map, CompressionKind? compress)
    {
        if (!map.Has("compress_level"))
        {
            return null;
        }

        if (compress is null)
        {
            // The compression itself is wrong and already reported; a range check would only add noise.
            return map.Int("compress_level", int.MinValue, int.MaxValue);
        }

        if (compress == CompressionKind.None)
        {
            map.Errors.Add(map.PathOf("compress_level"), map.LineOf("compress_level"),
                "a level needs a compression: set `compress` to gzip, bzip2 or zstd, or remove `compress_level`");
            return null;
        }

        var (min, max) = LevelRanges[compress.Value];
        return map.Int("compress_level", min, max);
    }

    /// <summary><c>max_age</c>: a duration as <c>--wait</c> takes it (<c>26h</c>, <c>2d</c>), longer than zero.</summary>
    private static TimeSpan? ReadMaxAge(MappingReader map)
    {
        if (map.String("max_age") is not { } text)
        {
            return null;
        }

        switch (DurationText.TryParse(text))
        {
            case null:
                map.Errors.Add(map.PathOf("max_age"), map.LineOf("max_age"), $"'{text}' is not a duration: write 26h, 2d or 1d12h");
                return null;
            case { } span when span <= TimeSpan.Zero:
                map.Errors.Add(map.PathOf("max_age"), map.LineOf("max_age"),
                    $"'{text}' would make every backup stale: write the longest time between two good backups plus a margin (e.g. 26h for a daily run)");
                return null;
            case var span:
                return span;
        }
    }

    private static string? ReadTemp(MappingReader map, bool hasDestination, bool cleanup)
    {
        var temp = map.String("temp");
        if (temp is null)
        {
            if (!hasDestination || !cleanup)
            {
                var why = hasDestination ? "`cleanup` is false" : "there is no `destination`";
                map.Errors.Add(map.PathOf("temp"), map.Line,
                    $"is required because {why}: the artifact is kept in that directory; set `temp` to an existing directory");
            }

            return null;
        }

        map.Context.Paths.WritableDirectory(map.PathOf("temp"), map.LineOf("temp"), "temp", temp);
        return temp;
    }
}
