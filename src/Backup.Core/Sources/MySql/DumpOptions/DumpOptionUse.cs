namespace Backup.Core.Sources.MySql.DumpOptions;

/// <summary>What one use of an option does, as my_getopt reads it.</summary>
public enum DumpOptionState
{
    /// <summary>A switch turned on (or a value-less flag such as <c>--xml</c> given).</summary>
    On,

    /// <summary>A switch turned off.</summary>
    Off,

    /// <summary>A switch with a value my_getopt does not understand (<c>--x=yes</c>): it warns and leaves the switch as it was.</summary>
    Ignored,

    /// <summary>An option that takes a value was given; <see cref="DumpOptionUse.Value"/> holds it (null: none).</summary>
    Value,
}

/// <summary>
/// One option found in <c>extra_args</c>: element <see cref="Index"/>, spelled <see cref="Spelling"/>
/// there (<c>-B</c> out of the bundle <c>-vB</c>, <c>--loose-databases</c>), and what it does.
/// </summary>
public sealed record DumpOptionUse(int Index, string Spelling, DumpOption Option, DumpOptionState State, string? Value);
