namespace Backup.Core.Destinations;

/// <summary>
/// <see cref="IDestination.DeleteAsync"/> was refused because a version of the object is still under
/// Object Lock retention (or a legal hold): the object stays as it was, and can be deleted once the lock
/// has expired. <see cref="RetainUntil"/> is the latest retain-until date of the refused versions, when
/// the store let it be read.
/// </summary>
public sealed class ObjectLockedException : BackupException
{
    /// <param name="where">How messages name the destination, e.g. <c>destinations.NAME</c>.</param>
    /// <param name="location">The object as the store names it, <c>s3://bucket/key</c>.</param>
    public ObjectLockedException(string where, string location, ObjectRetention? retention, bool legalHold = false, Exception? inner = null)
        : base($"{where}: {location} is locked {Describe(retention, legalHold)}; it was kept and can be deleted once the lock has expired", inner)
    {
        Location = location;
        Retention = retention;
        LegalHold = legalHold;
    }

    public string Location { get; }

    /// <summary>The mode and retain-until date, or null when the store did not let them be read (or only a legal hold holds it).</summary>
    public ObjectRetention? Retention { get; }

    public DateTimeOffset? RetainUntil => Retention?.RetainUntil;

    /// <summary>A legal hold holds it, which has no date: someone must lift it.</summary>
    public bool LegalHold { get; }

    private static string Describe(ObjectRetention? retention, bool legalHold) => (retention, legalHold) switch
    {
        ({ } r, _) => $"until {r.RetainUntil.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({r.Mode.ToString().ToLowerInvariant()} retention)" + (legalHold ? " and by a legal hold" : ""),
        (null, true) => "by a legal hold (which has no end date: lifting it takes s3:PutObjectLegalHold)",
        _ => "by Object Lock (its retain-until date could not be read)",
    };
}
