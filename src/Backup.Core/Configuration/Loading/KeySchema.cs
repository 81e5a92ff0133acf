namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Every key the config accepts, per section. Anything else is an error: a typo such as
/// <c>encryptoin</c> must not silently turn encryption off.
/// </summary>
internal static class KeySchema
{
    public static readonly string[] TopLevel = ["sources", "destinations", "encryptions", "hooks", "notifications", "metrics_file"];

    /// <summary>The keys every source shares; each kind adds its own (<see cref="Sources.ISourceKind.Keys"/>).</summary>
    public static readonly string[] CommonSource =
        ["temp", "compress", "compress_level", "encryption", "destination", "cleanup", "retention", "prune", "hooks", "max_age", "notify",
         "schedule", "timezone", "catch_up"];

    public static readonly string[] Hooks = ["before", "after", "on_failure", "timeout"];

    public static readonly string[] Retention =
        ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "keep_within", "timezone"];

    public static readonly string[] S3Secrets = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    public static readonly string[] S3 =
    [
        "method", "S3_BUCKET", "prefix",
        .. S3Secrets.SelectMany(k => new[] { k }.Concat(FileValues.FileKeysFor(k))),
        "endpoint", "region", "path_style", "storage_class", "sse", "sse_kms_key_id", "checksum",
        "part_size_mb", "upload_concurrency", "retention", "object_lock",
    ];

    public static readonly string[] ObjectLock = ["mode", "retain"];

    public static readonly string[] ObjectLockModes = ["governance", "compliance"];

    public static readonly string[] Local = ["method", "path", "retention"];

    public static readonly string[] Gpg = ["method", "recipient", "public_key", "public_key_file", "gnupg_home"];

    public static readonly string[] NotificationCommon = ["method", "on", "timeout", "retries"];

    public static readonly string[] Webhook =
    [
        .. NotificationCommon, "url", "url_file", "secret", "secret_file", "template", "template_file", "content_type", "headers",
    ];

    public static readonly string[] Healthchecks = [.. NotificationCommon, "url", "url_file"];

    public static readonly string[] Email =
        [.. NotificationCommon, "host", "port", "tls", "user", "password", "password_file", "from", "to"];

    public static readonly string[] NotificationMethods = ["webhook", "healthchecks", "email"];

    /// <summary>The <c>on:</c> words, in the order of <see cref="NotificationTrigger"/>.</summary>
    public static readonly string[] NotificationTriggers = ["start", "success", "warning", "failure"];

    public static readonly string[] SmtpSecurities = ["starttls", "tls", "none"];

    public static readonly string[] DestinationMethods = ["s3", "local"];

    public static readonly string[] EncryptionMethods = ["gpg"];

    public static readonly string[] StorageClasses =
    [
        "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "GLACIER_IR",
        "DEEP_ARCHIVE", "REDUCED_REDUNDANCY",
    ];

    public static readonly string[] ServerSideEncryptions = ["AES256", "aws:kms"];

    public static readonly string[] Checksums = ["when_supported", "when_required"];
}
