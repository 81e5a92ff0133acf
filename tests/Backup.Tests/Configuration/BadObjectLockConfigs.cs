namespace Backup.Tests.Configuration;

/// <summary>Bad <c>object_lock</c> under a destination. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadObjectLockConfigs
{
    private static string S3(string objectLock) => """
        sources:
          directories:
            home: { path: /data, destination: vault }
        destinations:
          vault:
            method: s3
            S3_BUCKET: backups

        """ + string.Join('\n', objectLock.Split('\n').Select(line => "    " + line));

    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "an object_lock without mode",
            S3("""
                object_lock:
                  retain: 30d
                """),
            "destinations.vault.object_lock.mode", 8, "is required: governance or compliance"
        },
        {
            "an object_lock without retain",
            S3("""
                object_lock:
                  mode: governance
                """),
            "destinations.vault.object_lock.retain", 8, "is required: how long each artifact stays locked, e.g. 30d"
        },
        {
            "an unknown lock mode",
            S3("""
                object_lock:
                  mode: governanse
                  retain: 30d
                """),
            "destinations.vault.object_lock.mode", 9, "'governanse' is not a lock mode: write governance or compliance (did you mean 'governance'?)"
        },
        {
            "a retain that is no duration",
            S3("""
                object_lock:
                  mode: compliance
                  retain: 30 days
                """),
            "destinations.vault.object_lock.retain", 10, "'30 days' is not a duration: write a whole number and a unit"
        },
        {
            "a retain of zero",
            S3("""
                object_lock:
                  mode: compliance
                  retain: 0d
                """),
            "destinations.vault.object_lock.retain", 10, "'0d' locks nothing"
        },
        {
            "a retain shorter than a day",
            S3("""
                object_lock:
                  mode: governance
                  retain: 23h59m
                """),
            "destinations.vault.object_lock.retain", 10, "'23h59m' is shorter than a day"
        },
        {
            "a misspelt object_lock key",
            S3("""
                object_lock:
                  mode: governance
                  retian: 30d
                """),
            "destinations.vault.object_lock.retian", 10, "unknown key (did you mean 'retain'?)"
        },
        {
            "a misspelt object_lock",
            S3("""
                objectlock: { mode: governance, retain: 30d }
                """),
            "destinations.vault.objectlock", 8, "unknown key (did you mean 'object_lock'?)"
        },
        {
            "an object_lock that is not a mapping",
            S3("""
                object_lock: governance
                """),
            "destinations.vault.object_lock", 8, "expected a mapping, found"
        },
        {
            "an object_lock on a local destination",
            """
            sources:
              directories:
                home: { path: /data, destination: nas }
            destinations:
              nas:
                method: local
                path: {tmp}
                object_lock: { mode: governance, retain: 30d }
            """,
            "destinations.nas.object_lock", 8, "is only for `method: s3` (S3 Object Lock): a local directory cannot lock its files"
        },
    };
}
