namespace Backup.Core.Configuration.Loading;

/// <summary>The keys every source kind shares, read once and applied to the kind's record.</summary>
internal sealed record SourceCommon(
    string? Temp,
    CompressionKind Compress,
    int? CompressLevel,
    string? Encryption,
    IReadOnlyList<string> Destinations,
    bool Cleanup,
    Retention.RetentionPolicy? Retention,
    bool Prune,
    HooksConfig Hooks,
    TimeSpan? MaxAge,
    IReadOnlyList<string>? Notify,
    Scheduling.Schedule? Schedule)
{
    /// <summary>The kind's record with the shared keys filled in: one place, whatever the kind.</summary>
    public T ApplyTo<T>(T config) where T : SourceConfig => (T)(config with
    {
        Temp = Temp,
        Compress = Compress,
        CompressLevel = CompressLevel,
        Encryption = Encryption,
        Destinations = Destinations,
        Cleanup = Cleanup,
        Retention = Retention,
        Prune = Prune,
        Hooks = Hooks,
        MaxAge = MaxAge,
        Notify = Notify,
        Schedule = Schedule,
    });
}
