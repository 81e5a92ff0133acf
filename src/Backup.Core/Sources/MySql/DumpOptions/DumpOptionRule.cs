namespace Backup.Core.Sources.MySql.DumpOptions;

/// <summary>
/// When a use of an option in <c>extra_args</c> is refused, and why. A rule judges each use on its own
/// (not the option's final value), because mysqldump acts on some uses at once: <c>--compact</c> turns
/// the comments off when it is read, and a later <c>--skip-compact</c> does not turn them back on.
/// </summary>
public sealed class DumpOptionRule
{
    private readonly Func<DumpOptionUse, bool> _refuses;

    private DumpOptionRule(Func<DumpOptionUse, bool> refuses, string? reason)
    {
        _refuses = refuses;
        Reason = reason;
    }

    public string? Reason { get; }

    public static DumpOptionRule Allowed { get; } = new(_ => false, null);

    /// <summary>Refused however it is spelled, with or without a value, even negated.</summary>
    public static DumpOptionRule Always(string reason) => new(_ => true, reason);

    /// <summary>Refused when the use switches the option on (<c>--x</c>, <c>--x=1</c>, <c>--skip-x=0</c>, <c>-X</c>).</summary>
    public static DumpOptionRule WhenOn(string reason) => new(use => use.State == DumpOptionState.On, reason);

    /// <summary>Refused when the use switches the option off (<c>--skip-x</c>, <c>--x=0</c>, <c>--disable-x</c>).</summary>
    public static DumpOptionRule WhenOff(string reason) => new(use => use.State == DumpOptionState.Off, reason);

    /// <summary>Refused when the value given is one <paramref name="refused"/> rejects (null: no value given).</summary>
    public static DumpOptionRule WhenValue(Func<string?, bool> refused, string reason) =>
        new(use => use.State == DumpOptionState.Value && refused(use.Value), reason);

    public bool Refuses(DumpOptionUse use) => _refuses(use);
}
