namespace Backup.Core.Configuration.Loading;

/// <summary><c>method: s3</c>: the seed's keys plus what S3-compatible stores need.</summary>
internal static class S3DestinationReader
{
    private const int MaxUploadConcurrency = 16;

    public static S3DestinationConfig? Read(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.S3);
        var errorsBefore = map.Errors.Count;

        var bucket = map.RequiredString("S3_BUCKET", "the bucket to upload to");
        var prefix = ReadPrefix(map);
        var accessKeyId = FileValues.ReadSecret(map, "AWS_ACCESS_KEY_ID");
        var secretAccessKey = FileValues.ReadSecret(map, "AWS_SECRET_ACCESS_KEY");
        var sessionToken = FileValues.ReadSecret(map, "AWS_SESSION_TOKEN");
        CheckCredentialsComplete(map, accessKeyId, secretAccessKey, sessionToken);

        var endpoint = ReadEndpoint(map);
        var region = map.String("region");
        var pathStyle = map.Bool("path_style");
        var storageClass = map.Choice("storage_class", KeySchema.StorageClasses);
        var sse = map.Choice("sse", KeySchema.ServerSideEncryptions);
        var kmsKeyId = map.String("sse_kms_key_id");
        if (kmsKeyId is not null && sse != "aws:kms" && !map.Failed("sse"))
        {
            map.Errors.Add(map.PathOf("sse_kms_key_id"), map.LineOf("sse_kms_key_id"),
                "only applies with `sse: aws:kms`; set that or remove `sse_kms_key_id`");
        }

        var checksum = map.Choice("checksum", KeySchema.Checksums);
        // The limits the uploader itself works with: validate refuses what a run would.
        var partSize = map.Int("part_size_mb", Destinations.S3PartSizing.MinPartSizeMb, Destinations.S3PartSizing.MaxPartSizeMb);
        var concurrency = map.Int("upload_concurrency", 1, MaxUploadConcurrency);
        var retention = RetentionReader.Read(map);
        var objectLock = ReadObjectLock(map);

        if (map.Errors.Count > errorsBefore || bucket is null)
        {
            return null;
        }

        return new S3DestinationConfig
        {
            Name = name,
            Bucket = bucket,
            Prefix = prefix,
            AccessKeyId = accessKeyId,
            SecretAccessKey = secretAccessKey,
            SessionToken = sessionToken,
            Endpoint = endpoint,
            Region = region,
            // MinIO, Ceph and most S3-compatible servers need path-style addressing.
            PathStyle = pathStyle ?? (endpoint is not null ? true : null),
            StorageClass = storageClass,
            Sse = sse,
            SseKmsKeyId = kmsKeyId,
            Checksum = checksum,
            PartSizeMb = partSize,
            UploadConcurrency = concurrency,
            Retention = retention,
            ObjectLock = objectLock,
        };
    }

    /// <summary>
    /// <c>object_lock: {mode, retain}</c>, both required. <c>retain</c> is a duration as in
    /// <c>keep_within</c>, at least a day: an artifact's manifest is locked until the same date as the
    /// artifact, counted from the artifact's creation, so a lock shorter than an upload could take
    /// would already have expired when the manifest is stored.
    /// </summary>
    private static Destinations.ObjectLockPolicy? ReadObjectLock(MappingReader owner)
    {
        if (owner.Mapping("object_lock") is not { } map)
        {
            return null;
        }

        map.AllowOnly(KeySchema.ObjectLock);
        var errorsBefore = map.Errors.Count;
        var modes = string.Join(" or ", KeySchema.ObjectLockModes);
        Destinations.ObjectLockMode? mode = null;
        if (map.RequiredString("mode", $"{modes} (see the README, Object Lock)") is { } modeText)
        {
            if (KeySchema.ObjectLockModes.FirstOrDefault(m => m.Equals(modeText, StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                mode = Enum.Parse<Destinations.ObjectLockMode>(known, ignoreCase: true);
            }
            else
            {
                map.Errors.Add(map.PathOf("mode"), map.LineOf("mode"),
                    $"'{modeText}' is not a lock mode: write {modes}" + DidYouMean.Suffix(modeText, KeySchema.ObjectLockModes));
            }
        }

        CalendarDuration? retain = null;
        if (map.RequiredString("retain", "how long each artifact stays locked, e.g. 30d") is { } retainText)
        {
            retain = CalendarDuration.TryParse(retainText);
            var length = retain?.AddTo(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc) - DateTimeOffset.UnixEpoch;
            var problem = retain switch
            {
                null => $"'{retainText}' is not a duration: write {CalendarDuration.Syntax}",
                { IsZero: true } => $"'{retainText}' locks nothing: write how long each artifact stays locked (e.g. 30d), or remove `object_lock`",
                _ when length < TimeSpan.FromDays(1) =>
                    $"'{retainText}' is shorter than a day: locks count from an artifact's creation and its manifest is locked until the same date, " +
                    "so a shorter one could expire before the manifest is stored; write 1d or more",
                _ => null,
            };
            if (problem is not null)
            {
                map.Errors.Add(map.PathOf("retain"), map.LineOf("retain"), problem);
                retain = null;
            }
        }

        return map.Errors.Count > errorsBefore || mode is null || retain is null
            ? null
            : new Destinations.ObjectLockPolicy(mode.Value, retain);
    }

    private static void CheckCredentialsComplete(MappingReader map, Secret? keyId, Secret? secret, Secret? token)
    {
        // Which key was given is reported, never its value.
        if (keyId is not null && secret is null && !AnyGiven(map, "AWS_SECRET_ACCESS_KEY"))
        {
            map.Errors.Add(map.PathOf("AWS_SECRET_ACCESS_KEY"), map.Line,
                "is required with `AWS_ACCESS_KEY_ID`: set both, or neither to use the default credential chain");
        }
        else if (secret is not null && keyId is null && !AnyGiven(map, "AWS_ACCESS_KEY_ID"))
        {
            map.Errors.Add(map.PathOf("AWS_ACCESS_KEY_ID"), map.Line,
                "is required with `AWS_SECRET_ACCESS_KEY`: set both, or neither to use the default credential chain");
        }
        else if (token is not null && keyId is null && secret is null)
        {
            map.Errors.Add(map.PathOf("AWS_SESSION_TOKEN"), map.LineOf("AWS_SESSION_TOKEN"),
                "needs `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (a session token belongs to a key pair)");
        }
    }

    private static bool AnyGiven(MappingReader map, string key) =>
        new[] { key }.Concat(FileValues.FileKeysFor(key)).Any(k => map.Has(k));

    /// <summary>
    /// The key prefix: leading and trailing slashes do not matter (they are trimmed), but an empty
    /// segment (<c>a//b</c>) or a <c>.</c>/<c>..</c> segment would name a different folder than the
    /// one it seems to, so it is refused.
    /// </summary>
    private static string ReadPrefix(MappingReader map)
    {
        var prefix = map.String("prefix") ?? "";
        var trimmed = prefix.Trim('/');
        if (trimmed.Length > 0 && trimmed.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            map.Errors.Add(map.PathOf("prefix"), map.LineOf("prefix"),
                $"'{prefix}' has an empty, '.' or '..' segment; write the folder path with single slashes, e.g. 'backups/host1'");
        }

        return trimmed;
    }

    private static string? ReadEndpoint(MappingReader map)
    {
        var text = map.String("endpoint");
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
        {
            // The SDK would put every key under the path (bucket/prefix/...), where listings never look.
            if (uri.AbsolutePath.Trim('/').Length > 0 || uri.Query.Length > 0)
            {
                map.Errors.Add(map.PathOf("endpoint"), map.LineOf("endpoint"),
                    $"'{text}' has a path; give the server only ({uri.GetLeftPart(UriPartial.Authority)}) and the bucket in `S3_BUCKET`, the folder in `prefix`");
                return null;
            }

            return text;
        }

        map.Errors.Add(map.PathOf("endpoint"), map.LineOf("endpoint"),
            $"'{text}' is not an http:// or https:// URL; write it in full, e.g. http://127.0.0.1:9000");
        return null;
    }
}
