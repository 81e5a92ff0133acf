namespace Backup.Core.Catalog;

public enum FreshnessState
{
    /// <summary>The newest complete artifact is within the source's <c>max_age</c>.</summary>
    Fresh,

    /// <summary>The newest complete artifact is older than <c>max_age</c>: backups stopped, or keep failing.</summary>
    Stale,

    /// <summary>The source has a <c>max_age</c> and nothing complete in this destination.</summary>
    Missing,

    /// <summary>The source has no <c>max_age</c>: its age is reported, not judged.</summary>
    Unchecked,
}
