using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary>
/// Each bad config is reported at its YAML path and line with a message that says what is wrong.
/// In the YAML, {tmp} is an existing writable directory and {tmp}/file.txt an existing file.
/// </summary>
public sealed class BadConfigSpecs
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
        {
            "no sources at all",
            """
            destinations:
              nas:
                method: local
                path: {tmp}
            """,
            "sources", null, "nothing to back up"
        },
        {
            "empty source sections",
            """
            sources:
              mysqldump:
              directories:
            """,
            "sources", 1, "nothing to back up"
        },
        {
            "a misspelt top-level key",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destination:
              nas: { method: local, path: "{tmp}" }
            """,
            "destination", 4, "unknown key (did you mean 'destinations'?)"
        },
        {
            "a misspelt source kind",
            """
            sources:
              mysql:
                prod:
                  temp: {tmp}
            """,
            "sources.mysql", 2, "unknown key (did you mean 'mysqldump'?)"
        },
        {
            "a destination without method",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              nas:
                path: {tmp}
            """,
            "destinations.nas.method", 5, "is required: one of s3, local"
        },
        {
            "an unknown destination method",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              nas:
                method: ftp
            """,
            "destinations.nas.method", 6, "unknown method 'ftp': use one of s3, local"
        },
        {
            "an s3 destination without bucket",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                prefix: x
            """,
            "destinations.s3.S3_BUCKET", 5, "is required"
        },
        {
            "a misspelt s3 key",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                s3_bucket: b
            """,
            "destinations.s3.s3_bucket", 7, "unknown key (did you mean 'S3_BUCKET'?)"
        },
        {
            "an endpoint that is not a URL",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                endpoint: minio:9000
            """,
            "destinations.s3.endpoint", 8, "is not an http:// or https:// URL"
        },
        {
            "a storage class in the wrong case",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                storage_class: standard_ia
            """,
            "destinations.s3.storage_class", 8, "(did you mean 'STANDARD_IA'?)"
        },
        {
            "a kms key id without aws:kms",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                sse: AES256
                sse_kms_key_id: arn:aws:kms:key
            """,
            "destinations.s3.sse_kms_key_id", 9, "only applies with `sse: aws:kms`"
        },
        {
            "an unknown checksum mode",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                checksum: never
            """,
            "destinations.s3.checksum", 8, "'never' is not one of when_supported, when_required"
        },
        {
            "a part size below the S3 minimum",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                part_size_mb: 4
            """,
            "destinations.s3.part_size_mb", 8, "must be between 5 and 5120"
        },
        {
            "too many concurrent uploads",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                upload_concurrency: 17
            """,
            "destinations.s3.upload_concurrency", 8, "must be between 1 and 16"
        },
        {
            "an access key id without its secret",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                AWS_ACCESS_KEY_ID: AKIAEXAMPLE
            """,
            "destinations.s3.AWS_SECRET_ACCESS_KEY", 5, "is required with `AWS_ACCESS_KEY_ID`"
        },
        {
            "a secret both inline and from a file",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                AWS_ACCESS_KEY_ID: AKIAEXAMPLE
                AWS_SECRET_ACCESS_KEY: abc
                AWS_SECRET_ACCESS_KEY_FILE: {tmp}/file.txt
            """,
            "destinations.s3.AWS_SECRET_ACCESS_KEY_FILE", 10, "set only one of `AWS_SECRET_ACCESS_KEY` or `AWS_SECRET_ACCESS_KEY_FILE`"
        },
        {
            "a local destination without path",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              nas:
                method: local
            """,
            "destinations.nas.path", 5, "is required"
        },
        {
            "a local destination that does not exist",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              nas:
                method: local
                path: {tmp}/missing
            """,
            "destinations.nas.path", 7, "does not exist; create it or fix `path`"
        },
        {
            "an encryption without recipient",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: gpg
            """,
            "encryptions.gpg-main.recipient", 5, "is required"
        },
        {
            "a misspelt encryption method",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: pgp
                recipient: a@example.com
            """,
            "encryptions.gpg-main.method", 6, "unknown method 'pgp': use gpg"
        },
        {
            "a public key that is not armored",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: gpg
                recipient: a@example.com
                public_key: ABCDEF0123
            """,
            "encryptions.gpg-main.public_key", 8, "is not an armored public key"
        },
        {
            "a gnupg home that does not exist",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: gpg
                recipient: a@example.com
                gnupg_home: {tmp}/no-gnupg
            """,
            "encryptions.gpg-main.gnupg_home", 8, "does not exist; create it or fix `gnupg_home`"
        },
        {
            "an undefined environment variable",
            """
            sources:
              directories:
                home:
                  path: ${DATA_DIR}
                  temp: {tmp}
            """,
            "sources.directories.home.path", 4, "environment variable 'DATA_DIR' is not set"
        },
        {
            "a duplicate key",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  path: /other
            """,
            "sources.directories.home.path", 6, "duplicate key (first set on line 4)"
        },
        {
            "badly indented YAML",
            """
            sources:
              directories:
                home:
                  path: /data
                 temp: {tmp}
            """,
            "(yaml)", 5, "invalid YAML"
        },
        {
            "an unclosed list",
            """
            sources:
              directories:
                home:
                  path: [/data
                  temp: {tmp}
            """,
            "(yaml)", 4, "check for an unclosed '[', '{' or quote"
        },
        {
            "a list at the top level",
            """
            - sources
            """,
            "(root)", 1, "expected a mapping"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_config_is_reported_at_its_path_and_line(string what, string yaml, string path, int? line, string fragment)
    {
        using var tmp = new TempDir("bad-config");
        tmp.Write("file.txt", "not a directory\n");

        var errors = ConfigText.Errors(yaml.Replace("{tmp}", tmp.Path, StringComparison.Ordinal), tmp.Path);

        Assert.False(string.IsNullOrEmpty(what));
        ConfigText.AssertHas(errors, path, line, fragment);
    }
}
