namespace Backup.Tests.Configuration;

/// <summary>Bad keys and values shared by sources and in <c>sources.mysqldump</c>. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadSourceConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "a misspelt source key",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  compres: gzip
            """,
            "sources.directories.home.compres", 6, "unknown key (did you mean 'compress'?)"
        },
        {
            "a database listed twice (it would be dumped twice at once)",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases:
                    - shop
                    - app
                    - shop
            """,
            "sources.mysqldump.prod.databases[2]", 8, "'shop' is listed twice (first as sources.mysqldump.prod.databases[0]); list it once"
        },
        {
            "a misspelt destination name",
            """
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  destination: s3-man
            destinations:
              s3-main:
                method: s3
                S3_BUCKET: b
            """,
            "sources.mysqldump.prod.destination", 5, "'s3-man' is not defined under destinations (did you mean 's3-main'?)"
        },
        {
            "one undefined name in a destination list",
            """
            sources:
              mysqldump:
                prod:
                  databases: [app]
                  destination: [s3-main, nas]
            destinations:
              s3-main:
                method: s3
                S3_BUCKET: b
            """,
            "sources.mysqldump.prod.destination", 5, "'nas' is not defined under destinations; defined: s3-main"
        },
        {
            "an undefined encryption",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  encryption: gpg-mian
            encryptions:
              gpg-main:
                method: gpg
                recipient: a@example.com
            """,
            "sources.mysqldump.prod.encryption", 6, "'gpg-mian' is not defined under encryptions (did you mean 'gpg-main'?)"
        },
        {
            "a port that is not a number",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  port: abc
            """,
            "sources.mysqldump.prod.port", 6, "expected a whole number, found 'abc'"
        },
        {
            "a port out of range",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  port: 70000
            """,
            "sources.mysqldump.prod.port", 6, "must be between 1 and 65535"
        },
        {
            "cleanup that is not a boolean",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  cleanup: maybe
            """,
            "sources.mysqldump.prod.cleanup", 6, "expected true or false, found 'maybe'"
        },
        {
            "databases given as a mapping",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases:
                    app: yes
            """,
            "sources.mysqldump.prod.databases", 6, "expected a list of strings, found a mapping"
        },
        {
            "a list inside extra_args",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  extra_args:
                    - --single-transaction
                    - [--routines]
            """,
            "sources.mysqldump.prod.extra_args[1]", 8, "expected a single value, found a list"
        },
        {
            "a short-option bundle that selects databases",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  extra_args:
                    - --single-transaction
                    - -vB
            """,
            "sources.mysqldump.prod.extra_args[1]", 8, "'-B' (mysqldump reads it as --databases) makes the dump name its databases"
        },
        {
            "a loose- prefix on --all-databases",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  extra_args: [--routines, --loose-all-databases]
            """,
            "sources.mysqldump.prod.extra_args[1]", 6, "'--loose-all-databases' (mysqldump reads it as --all-databases)"
        },
        {
            "a password glued into a bundle",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  extra_args:
                    - -vpHUNTER2
            """,
            "sources.mysqldump.prod.extra_args[0]", 7, "'-p' (mysqldump reads it as --password) would put the password on the command line"
        },
        {
            "a result file in a bundle",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  extra_args:
                    - -vr
                    - /tmp/plain.sql
            """,
            "sources.mysqldump.prod.extra_args[0]", 7, "writes the dump somewhere else than the backup stream"
        },
        {
            "no databases and not all of them",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  all_databases_except_system: false
            """,
            "sources.mysqldump.prod.databases", 3, "nothing to dump"
        },
        {
            "parallel below one",
            """
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  parallel: 0
            """,
            "sources.mysqldump.prod.parallel", 6, "must be at least 1"
        },
    };
}
