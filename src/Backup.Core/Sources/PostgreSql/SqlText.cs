using System.Text;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>Quoting for names and values inside the SQL this tool sends to PostgreSQL.</summary>
internal static class SqlText
{
    /// <summary><c>my"db</c> → <c>"my""db"</c>: the only escape a quoted identifier needs.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// An escape string (<c>E'...'</c>), which means the same whether or not
    /// <c>standard_conforming_strings</c> is on: backslashes and quotes doubled.
    /// </summary>
    public static string Literal(string value)
    {
        var text = new StringBuilder("E'", value.Length + 3);
        foreach (var c in value)
        {
            if (c is '\'' or '\\')
                text.Append(c);
            text.Append(c);
        }

        return text.Append('\'').ToString();
    }
}
