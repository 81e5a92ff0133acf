namespace Backup.Core.Retention;

/// <summary>
/// One reason an artifact is kept. <see cref="Detail"/> is the period for counted rules
/// (<c>2026-11-30</c>, <c>2026-W48</c>, <c>2026-11-30 14:00</c>, with <c> (oldest)</c> when the rule kept
/// the oldest artifact because it had count left), the rank for <c>keep_last</c> (<c>#1</c> is the
/// newest), the span for <c>keep_within</c>, the dependent's key for <see cref="KeepRule.BaseOf"/>, and
/// the explanation for <see cref="KeepRule.ChainKeptWhole"/>.
/// </summary>
public sealed record KeepReason(KeepRule Rule, string Detail = "")
{
    /// <summary>The config key of a policy rule (<c>keep_daily</c>), or null for the guarantees.</summary>
    public string? ConfigKey => Rule switch
    {
        KeepRule.KeepLast => "keep_last",
        KeepRule.KeepHourly => "keep_hourly",
        KeepRule.KeepDaily => "keep_daily",
        KeepRule.KeepWeekly => "keep_weekly",
        KeepRule.KeepMonthly => "keep_monthly",
        KeepRule.KeepYearly => "keep_yearly",
        KeepRule.KeepWithin => "keep_within",
        _ => null,
    };

    /// <summary><c>newest</c>, <c>keep_daily 2026-11-30</c>, <c>keep_within 2d</c>, <c>base of KEY</c>, <c>chain ID kept whole: ...</c>.</summary>
    public override string ToString() => Rule switch
    {
        KeepRule.Newest => "newest",
        KeepRule.BaseOf => $"base of {Detail}",
        KeepRule.ChainKeptWhole => Detail,
        _ => $"{ConfigKey} {Detail}",
    };
}
