namespace Backup.Core.Sources.MySql.RestoreGuard;

/// <summary>
/// What of the import session decides how the server reads the rest of the dump: the sql_mode flags
/// ANSI_QUOTES and NO_BACKSLASH_ESCAPES, whether the client character set is one in which no
/// character can hide a quote or backslash, and the user variables a dump saves them in
/// (<c>SET @OLD_SQL_MODE=@@SQL_MODE</c> ... <c>SET SQL_MODE=@OLD_SQL_MODE</c>).
/// </summary>
internal sealed class SessionState
{
    /// <summary>Character sets every byte of which below 0x80 is that ASCII character (a restore may switch to them).</summary>
    private static readonly HashSet<string> SafeCharacterSets = new(StringComparer.OrdinalIgnoreCase)
    {
        "utf8mb4", "utf8mb3", "utf8", "latin1", "latin2", "latin5", "latin7", "ascii", "binary", "cp1250", "cp1251",
        "cp1256", "cp1257", "cp850", "cp852", "cp866", "dec8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u",
        "macce", "macroman", "swe7", "tis620", "armscii8", "geostd8", "ujis", "eucjpms", "euckr", "gb2312",
    };

    /// <summary>A value a user variable holds, as far as the rules need to know it.</summary>
    public abstract record Value
    {
        public sealed record Unknown : Value;

        public sealed record Text(string Literal) : Value;

        public sealed record SqlMode(Modes? Flags) : Value;

        public sealed record CharacterSet(bool Safe) : Value;
    }

    /// <summary>The two sql_mode flags that change how text is split into tokens.</summary>
    public sealed record Modes(bool AnsiQuotes, bool NoBackslashEscapes)
    {
        private static readonly HashSet<string> WithAnsiQuotes = new(StringComparer.OrdinalIgnoreCase)
            { "ANSI_QUOTES", "ANSI", "DB2", "MAXDB", "MSSQL", "ORACLE", "POSTGRESQL" };

        /// <summary>A sql_mode string such as <c>'NO_AUTO_VALUE_ON_ZERO,ANSI'</c>; null when it is a number (a bit mask).</summary>
        public static Modes? Parse(string text)
        {
            var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Any(n => n.All(char.IsAsciiDigit)))
                return null;
            return new Modes(names.Any(WithAnsiQuotes.Contains),
                names.Any(n => n.Equals("NO_BACKSLASH_ESCAPES", StringComparison.OrdinalIgnoreCase)));
        }
    }

    private readonly Dictionary<string, Value> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _tainted = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Null until the dump sets a sql_mode the rules can read (the server's default is not known).</summary>
    public Modes? SqlMode { get; private set; }

    public static bool IsSafe(string characterSet) => SafeCharacterSets.Contains(characterSet);

    public Value Variable(string name) =>
        _tainted.Contains(name) ? new Value.Unknown() : _variables.GetValueOrDefault(name) ?? new Value.Unknown();

    public void Assign(string name, Value value) => _variables[name] = _tainted.Contains(name) ? new Value.Unknown() : value;

    /// <summary>
    /// The variable is set somewhere the rules cannot follow (a stored program's body, <c>SELECT ... INTO</c>,
    /// <c>:=</c>): from now on its value is unknown, whatever is assigned to it later.
    /// </summary>
    public void Taint(string name) => _tainted.Add(name);

    public void SetSqlMode(Modes? modes) => SqlMode = modes;
}
