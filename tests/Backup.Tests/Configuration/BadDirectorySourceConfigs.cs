namespace Backup.Tests.Configuration;

/// <summary>Bad compression, temp and <c>sources.directories</c> settings. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadDirectorySourceConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "an unknown compression",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  compress: gzp
            """,
            "sources.directories.home.compress", 6, "'gzp' is not a compression: use gzip, bzip2, zstd or none (did you mean 'gzip'?)"
        },
        {
            "a gzip level above 9",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  compress: gzip
                  compress_level: 12
            """,
            "sources.directories.home.compress_level", 7, "must be between 1 and 9, found 12"
        },
        {
            "a zstd level above 19",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  compress: zstd
                  compress_level: 20
            """,
            "sources.directories.home.compress_level", 7, "must be between 1 and 19, found 20"
        },
        {
            "a level without compression",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  compress_level: 5
            """,
            "sources.directories.home.compress_level", 6, "a level needs a compression"
        },
        {
            "no temp and no destination",
            """
            sources:
              directories:
                home:
                  path: /data
            """,
            "sources.directories.home.temp", 3, "is required because there is no `destination`"
        },
        {
            "no temp with cleanup false",
            """
            sources:
              directories:
                home:
                  path: /data
                  destination: nas
                  cleanup: false
            destinations:
              nas:
                method: local
                path: {tmp}
            """,
            "sources.directories.home.temp", 3, "is required because `cleanup` is false"
        },
        {
            "a temp directory that does not exist",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}/missing
            """,
            "sources.directories.home.temp", 5, "does not exist; create it or fix `temp`"
        },
        {
            "a temp that is a file",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}/file.txt
            """,
            "sources.directories.home.temp", 5, "is a file, not a directory"
        },
        {
            "a directory source without path",
            """
            sources:
              directories:
                home:
                  temp: {tmp}
            """,
            "sources.directories.home.path", 3, "is required"
        },
        {
            "incremental without a snapshot",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  incremental: true
            """,
            "sources.directories.home.incremental_snapshot", 6, "is required when `incremental` is true"
        },
        {
            "a snapshot in a missing directory",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  incremental: on
                  incremental_snapshot: {tmp}/missing/home.snar
            """,
            "sources.directories.home.incremental_snapshot", 7, "does not exist; create it or fix `incremental_snapshot`"
        },
        {
            "a source settings block that is a string",
            """
            sources:
              directories:
                home: /data
            """,
            "sources.directories.home", 3, "expected a mapping of settings, found a single value"
        },
        {
            "the same source name under both kinds",
            """
            sources:
              mysqldump:
                main:
                  temp: {tmp}
                  databases: [app]
              directories:
                main:
                  path: /data
                  temp: {tmp}
            """,
            "sources.directories.main", 7, "also a source under sources.mysqldump; source names must be unique"
        },
    };
}
