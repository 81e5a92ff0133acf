namespace Backup.Core.Configuration.Loading;

/// <summary><c>method: local</c>: artifacts are files in an existing directory (a mount, a NAS...).</summary>
internal static class LocalDestinationReader
{
    public static LocalDestinationConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly([.. KeySchema.Local, "object_lock"]);
        var errorsBefore = map.Errors.Count;
        if (map.Has("object_lock"))
        {
            // Reported as what it is rather than as an unknown key: it exists, but only for S3.
            map.Errors.Add(map.PathOf("object_lock"), map.LineOf("object_lock"),
                "is only for `method: s3` (S3 Object Lock): a local directory cannot lock its files against deletion; " +
                "remove `object_lock`, or store on an s3 destination whose bucket has Object Lock enabled");
        }

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
