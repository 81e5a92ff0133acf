namespace Backup.Tests.Configuration;

/// <summary>Bad <c>retention</c>, <c>prune</c> and <c>full_every</c>. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadRetentionConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "an empty retention",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: {}
            """,
            "sources.directories.home.retention", 6,
            "a retention with no rule would delete everything but the newest; add keep_* rules or remove retention"
        },
        {
            "a retention with only a timezone",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    timezone: Europe/Madrid
            """,
            "sources.directories.home.retention", 6, "a retention with no rule would delete everything but the newest"
        },
        {
            "a destination's retention with no rule",
            """
            sources:
              directories:
                home: { path: /data, destination: nas }
            destinations:
              nas:
                method: local
                path: {tmp}
                retention: { timezone: UTC }
            """,
            "destinations.nas.retention", 8, "a retention with no rule would delete everything but the newest"
        },
        {
            "a misspelt retention key",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_dialy: 7
            """,
            "sources.directories.home.retention.keep_dialy", 7, "unknown key (did you mean 'keep_daily'?)"
        },
        {
            "a count of zero",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_last: 3
                    keep_daily: 0
            """,
            "sources.directories.home.retention.keep_daily", 8, "must be at least 1, found 0; remove `keep_daily` to turn that rule off"
        },
        {
            "a count that is not a number",
            """
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  temp: {tmp}
                  retention:
                    keep_weekly: four
            """,
            "sources.mysqldump.prod.retention.keep_weekly", 7, "expected a whole number, found 'four'"
        },
        {
            "a keep_within that is not a duration",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_within: 2 days
            """,
            "sources.directories.home.retention.keep_within", 7,
            "'2 days' is not a duration: write a whole number and a unit: m (minutes), h (hours), d (days), w (weeks), mo (months), y (years)"
        },
        {
            "months written with a capital M",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: { keep_within: 6M }
            """,
            "sources.directories.home.retention.keep_within", 6, "'6M' is not a duration"
        },
        {
            "a zero keep_within",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: { keep_within: 0d }
            """,
            "sources.directories.home.retention.keep_within", 6, "'0d' keeps nothing"
        },
        {
            "an unknown time zone",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention:
                    keep_daily: 7
                    timezone: Europe/Madird
            """,
            "sources.directories.home.retention.timezone", 8,
            "'Europe/Madird' is not a time zone this host knows: write an IANA name such as Europe/Madrid or UTC, or remove `timezone` for the host's own (did you mean 'Europe/Madrid'?)"
        },
        {
            "a time zone that is a path",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: { keep_daily: 7, timezone: ../../etc/passwd }
            """,
            "sources.directories.home.retention.timezone", 6, "'../../etc/passwd' is not a time zone this host knows"
        },
        {
            "a retention that is a single value",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  retention: 7d
            """,
            "sources.directories.home.retention", 6, "expected a mapping, found a single value"
        },
        {
            "a misspelt retention key under an s3 destination",
            """
            sources:
              directories:
                home: { path: /data, destination: s3 }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                retention:
                  keep_montly: 12
            """,
            "destinations.s3.retention.keep_montly", 9, "unknown key (did you mean 'keep_monthly'?)"
        },
        {
            "prune that is not a bool",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  prune: sometimes
            """,
            "sources.directories.home.prune", 6, "expected true or false, found 'sometimes'"
        },
        {
            "full_every on a source that is not incremental",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  full_every: 7
            """,
            "sources.directories.home.full_every", 6, "only applies to an incremental source: set `incremental: true`, or remove `full_every`"
        },
        {
            "full_every of zero links",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  incremental: true
                  incremental_snapshot: {tmp}/home.snar
                  full_every: 0
            """,
            "sources.directories.home.full_every", 8, "must be at least 1, found 0"
        },
        {
            "full_every in hours",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  incremental: true
                  incremental_snapshot: {tmp}/home.snar
                  full_every: 36h
            """,
            "sources.directories.home.full_every", 8, "'36h' is neither a number of links nor whole days or weeks: write e.g. 7"
        },
        {
            "full_every on a mysqldump source",
            """
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  temp: {tmp}
                  full_every: 7
            """,
            "sources.mysqldump.prod.full_every", 6, "unknown key"
        },
    };
}
