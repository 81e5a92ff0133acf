namespace Backup.Tests.Configuration;

/// <summary>Bad <c>destinations</c> and <c>encryptions</c>. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadDestinationConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
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
            "destinations.s3.part_size_mb", 8, "must be between 5 and 1024"
        },
        {
            "a part size above what the uploader takes (validate refuses what a run would)",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                part_size_mb: 2048
            """,
            "destinations.s3.part_size_mb", 8, "must be between 5 and 1024"
        },
        {
            "an endpoint with a path (keys would land under it, where listings never look)",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                endpoint: http://127.0.0.1:4590/bucket
            """,
            "destinations.s3.endpoint", 8, "has a path; give the server only (http://127.0.0.1:4590)"
        },
        {
            "a prefix with an empty segment",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                prefix: backups//host1
            """,
            "destinations.s3.prefix", 8, "has an empty, '.' or '..' segment"
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
            "a short key id as recipient",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: gpg
                recipient: 0xDEADBEEF
            """,
            "encryptions.gpg-main.recipient", 7, "'0xDEADBEEF' is a short key id: different keys share short ids"
        },
        {
            "a recipient gpg would match as a substring",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            encryptions:
              gpg-main:
                method: gpg
                recipient: ex.com
            """,
            "encryptions.gpg-main.recipient", 7, "'ex.com' does not name exactly one key"
        },
    };
}
