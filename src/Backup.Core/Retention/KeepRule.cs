namespace Backup.Core.Retention;

/// <summary>Why an artifact is kept: a rule of the policy, or one of the guarantees on top of them.</summary>
public enum KeepRule
{
    /// <summary>The newest artifact of a series is always kept.</summary>
    Newest,
    KeepLast,
    KeepHourly,
    KeepDaily,
    KeepWeekly,
    KeepMonthly,
    KeepYearly,
    KeepWithin,

    /// <summary>A link of the chain of a kept incremental (its base, the base's base, ... down to level 0).</summary>
    BaseOf,

    /// <summary>A link of a kept chain whose way down to level 0 is broken: the whole chain is kept.</summary>
    ChainKeptWhole,
}
