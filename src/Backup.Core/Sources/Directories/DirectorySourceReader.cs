using Backup.Core.Configuration.Loading;

namespace Backup.Core.Sources.Directories;

/// <summary><c>sources.directories.NAME</c>: one GNU tar archive, optionally incremental (<see cref="DirectoryKind.Read"/>).</summary>
internal static class DirectorySourceReader
{
    public static DirectorySourceConfig? Read(string name, MappingReader map)
    {
        var path = map.RequiredString("path", "the directory to back up");
        if (path is not null)
        {
            map.Context.Paths.SourceDirectory(map.PathOf("path"), map.LineOf("path"), "path", path);
        }
        var incrementalSetting = map.Bool("incremental");
        var incremental = incrementalSetting ?? false;
        var snapshot = map.String("incremental_snapshot");

        if (incremental && snapshot is null && !map.Failed("incremental_snapshot"))
        {
            map.Errors.Add(map.PathOf("incremental_snapshot"), map.LineOf("incremental"),
                "is required when `incremental` is true: tar keeps the state between runs in that file");
        }
        else if (incremental && snapshot is not null)
        {
            map.Context.Paths.CreatableFile(
                map.PathOf("incremental_snapshot"), map.LineOf("incremental_snapshot"), "incremental_snapshot", snapshot);
        }

        // A wrong `incremental` is reported already: whether full_every applies is then unknown.
        var fullEvery = ReadFullEvery(map, incremental || (incrementalSetting is null && map.Has("incremental")));

        if (path is null)
        {
            return null;
        }

        return new DirectorySourceConfig
        {
            Name = name,
            Path = path,
            Incremental = incremental,
            IncrementalSnapshot = snapshot,
            FullEvery = fullEvery,
        };
    }

    /// <summary><c>full_every</c>: a number of links (<c>7</c>) or whole days or weeks (<c>7d</c>, <c>2w</c>).</summary>
    private static FullEvery? ReadFullEvery(MappingReader map, bool incremental)
    {
        var text = map.String("full_every");
        if (text is null)
        {
            return null;
        }

        if (!incremental)
        {
            map.Errors.Add(map.PathOf("full_every"), map.LineOf("full_every"),
                "only applies to an incremental source: set `incremental: true`, or remove `full_every`");
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var links))
        {
            if (links >= 1)
            {
                return FullEvery.AfterLinks(links);
            }

            map.Errors.Add(map.PathOf("full_every"), map.LineOf("full_every"),
                $"must be at least 1, found {links}: the number of links after which a new full archive (level 0) starts");
            return null;
        }

        if (CalendarDuration.TryParse(text) is { IsZero: false, IsWholeDays: true } interval)
        {
            return FullEvery.After(interval);
        }

        map.Errors.Add(map.PathOf("full_every"), map.LineOf("full_every"),
            $"'{text}' is neither a number of links nor whole days or weeks: write e.g. 7 (a new full after 7 links), 7d or 2w");
        return null;
    }
}
