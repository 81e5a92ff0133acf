namespace Backup.Core.Sources.PostgreSql.DumpOptions;

/// <summary>Whether an option takes a value, as getopt_long's <c>has_arg</c> says.</summary>
public enum PgOptionArgument
{
    None,

    /// <summary>In the same element (<c>--x=V</c>, <c>-xV</c>) or the next one, whatever it looks like.</summary>
    Required,

    /// <summary>Only in the same element (<c>--x=V</c>, <c>-xV</c>); never the next one.</summary>
    Optional,
}

/// <summary>
/// One option of pg_dump (of some version from 12 on): its long name, its short letter, whether it
/// takes a value, and whether <c>extra_args</c> may use it (<see cref="Refusal"/> null) or why not.
/// <see cref="RefusedIn"/> limits the refusal to one format.
/// </summary>
public sealed record PgOption(string Name, char? Short, PgOptionArgument Argument, string? Refusal = null, PgDumpFormat? RefusedIn = null)
{
    /// <summary>What getopt_long tells options apart by: <c>--no-acl</c> is <c>--no-privileges</c> (both <c>-x</c>).</summary>
    public string Identity => Short is { } letter ? letter.ToString() : Name;

    public bool IsRefusedIn(PgDumpFormat format) => Refusal is not null && (RefusedIn is null || RefusedIn == format);
}

/// <summary>An option found in <c>extra_args</c>: which one, how it was written, and the elements it took.</summary>
public sealed record PgOptionUse(int Index, PgOption Option, string Spelling, string? Value);

/// <summary>A problem with element <see cref="Index"/> of <c>extra_args</c>; it never quotes a value.</summary>
public sealed record PgDumpArgumentProblem(int Index, string Message);
