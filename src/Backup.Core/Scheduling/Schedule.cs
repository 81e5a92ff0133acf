using Cronos;

namespace Backup.Core.Scheduling;

/// <summary>
/// A source's <c>schedule</c>: a cron expression (5 fields, or 6 with seconds first; Cronos), the zone its
/// wall-clock times are read in, and whether <c>backup daemon</c> runs a slot missed while it was down
/// (<c>catch_up</c>). Parsed once, by <see cref="Parse"/>: the config's validation and the daemon use
/// the same value.
/// </summary>
/// <remarks>
/// Daylight saving time is Cronos's (Vixie cron's) rule, and the README's: a wall-clock time that a
/// spring-forward night skips (02:30 in Europe/Madrid on 29 March 2026) runs once at the jump (03:00);
/// a time in the hour that a fall-back night repeats runs once, in its first pass, unless the
/// expression is an interval (<c>*</c>, a range or a step in its seconds, minutes or hours field:
/// <c>0 * * * *</c>, <c>*/10 * * * * *</c>), which keeps its pace through both passes.
/// </remarks>
public sealed record Schedule
{
    private Schedule(string text, CronExpression expression, TimeZoneInfo zone, bool catchUp)
    {
        Text = text;
        Expression = expression;
        Zone = zone;
        CatchUp = catchUp;
    }

    /// <summary>The expression as written in the config.</summary>
    public string Text { get; }

    public CronExpression Expression { get; }

    /// <summary><c>timezone</c> of the source; the host's zone when absent.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary><c>catch_up</c> (default true): a slot missed while the daemon was down runs once at start-up.</summary>
    public bool CatchUp { get; }

    /// <summary>
    /// The schedule of <paramref name="text"/>, or null with <paramref name="error"/> saying what is wrong
    /// and how to write it. Five fields are minute to day of week; six put seconds first; a macro
    /// (<c>@daily</c>, <c>@hourly</c>, ...) is one word. An expression that never comes (<c>0 0 30 2 *</c>)
    /// is refused too: a source scheduled so would silently never run.
    /// </summary>
    public static Schedule? Parse(string text, TimeZoneInfo zone, bool catchUp, DateTimeOffset now, out string? error)
    {
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (fields.Length is not (5 or 6) && !(fields.Length == 1 && text.TrimStart().StartsWith('@')))
        {
            error = $"'{text}' has {fields.Length} field(s): write 5 (minute hour day-of-month month day-of-week, e.g. '30 2 * * *') "
                    + "or 6 with seconds first (e.g. '*/30 * * * * *'), or a macro such as @daily";
            return null;
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(string.Join(' ', fields), format);
        }
        catch (MissingSeedException)
        {
            error = $"'{text}' uses H (jitter), which is not supported: write the times out";
            return null;
        }
        catch (CronFormatException e)
        {
            error = $"'{text}' is not a cron expression: {e.Message.TrimEnd('.')}";
            return null;
        }

        var schedule = new Schedule(text, expression, zone, catchUp);
        if (schedule.Next(now) is null)
        {
            error = $"'{text}' never comes (no such date): the source would never run; check the day and month fields";
            return null;
        }

        error = null;
        return schedule;
    }

    /// <summary>The first slot strictly after <paramref name="instant"/>, in <see cref="Zone"/>'s offset; null if none comes.</summary>
    public DateTimeOffset? Next(DateTimeOffset instant) => Expression.GetNextOccurrence(instant, Zone, inclusive: false);

    /// <summary>The last slot at or before <paramref name="instant"/>; null if none.</summary>
    public DateTimeOffset? Last(DateTimeOffset instant) => Expression.GetPreviousOccurrence(instant, Zone, inclusive: true);

    /// <summary><c>2026-03-29 03:00:00 +02:00</c>: an instant on this schedule's wall clock, for messages.</summary>
    public string Format(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>'30 2 * * *' (Europe/Madrid)</c>, for messages.</summary>
    public override string ToString() => $"'{Text}' ({Zone.Id})";

    public bool Equals(Schedule? other) =>
        other is not null && Text == other.Text && Zone.Id == other.Zone.Id && CatchUp == other.CatchUp;

    public override int GetHashCode() => HashCode.Combine(Text, Zone.Id, CatchUp);
}
