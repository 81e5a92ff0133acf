namespace Backup.Core.Configuration.Loading;

/// <summary><c>method: local</c>: artifacts are files in an existing directory (a mount, a NAS...).</summary>
internal static class LocalDestinationReader
{
    public static LocalDestinationConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Local);
        var errorsBefore = map.Errors.Count;
        var path = map.RequiredString("path", "the directory artifacts are written to");
        if (path is not null)
        {
            map.Context.Paths.WritableDirectory(map.PathOf("path"), map.LineOf("path"), "path", path);
        }

        var retention = RetentionReader.Read(map);
        return map.Errors.Count > errorsBefore || path is null
            ? null
            : new LocalDestinationConfig { Name = name, Path = path, Retention = retention };
    }
}
