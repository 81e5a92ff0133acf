namespace Backup.Core.Sources.MySql.DumpOptions;

/// <summary>What an option takes, as my_getopt sees it (it decides how the next argument is read).</summary>
public enum DumpOptionArgument
{
    /// <summary>An on/off switch (GET_BOOL): <c>--x</c>, <c>--x=0</c>, <c>--skip-x</c>, <c>-X</c> in a bundle.</summary>
    Bool,

    /// <summary>Takes no value at all (<c>--xml</c>, <c>--help</c>); <c>--x=1</c> is an error.</summary>
    Flag,

    /// <summary>Needs a value: <c>--x=V</c>, <c>--x V</c>, <c>-xV</c>, <c>-x V</c>.</summary>
    Required,

    /// <summary>May take a value, only glued on: <c>--x=V</c> or <c>-xV</c>; <c>-x V</c> leaves V alone.</summary>
    Optional,
}

/// <summary>Which client programs know an option: MariaDB's <c>mariadb-dump</c>, Oracle's <c>mysqldump</c>, or both.</summary>
[Flags]
public enum DumpClients
{
    MariaDb = 1,
    MySql = 2,
    Both = MariaDb | MySql,
}

/// <summary>One option of mysqldump as its option table declares it, and what <c>extra_args</c> may do with it.</summary>
public sealed record DumpOption(string Name, char? Short, DumpOptionArgument Argument, DumpClients Clients, DumpOptionRule Rule)
{
    /// <summary>"--databases (-B)", for messages.</summary>
    public string Display => Short is { } c ? $"--{Name} (-{c})" : $"--{Name}";
}
