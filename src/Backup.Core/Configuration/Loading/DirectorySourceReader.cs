namespace Backup.Core.Configuration.Loading;

/// <summary><c>sources.directories.NAME</c>: one GNU tar archive, optionally incremental.</summary>
internal sealed class DirectorySourceReader(SourceCommonReader common)
{
    public DirectorySourceConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Directory);
        var errorsBefore = map.Errors.Count;
        var shared = common.Read(map);
        var path = map.RequiredString("path", "the directory to back up");
        if (path is not null)
        {
            map.Context.Paths.SourceDirectory(map.PathOf("path"), map.LineOf("path"), "path", path);
        }
        var incremental = map.Bool("incremental") ?? false;
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

        if (map.Errors.Count > errorsBefore || path is null)
        {
            return null;
        }

        return shared.ApplyTo(new DirectorySourceConfig
        {
            Name = name,
            Path = path,
            Incremental = incremental,
            IncrementalSnapshot = snapshot,
        });
    }
}
