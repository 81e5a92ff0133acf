using System.Text;

namespace Backup.Core.Sources.MySql;

/// <summary>Quoting for the places where names meet MySQL syntax: SQL, option files, batch output.</summary>
internal static class MySqlText
{
    /// <summary><c>my`db</c> → <c>`my``db`</c>: the only escape an identifier needs.</summary>
    public static string Identifier(string name) => "`" + name.Replace("`", "``") + "`";

    /// <summary>
    /// A utf8mb4 string literal written as hex, so it means the same under any <c>sql_mode</c>
    /// (NO_BACKSLASH_ESCAPES changes what a backslash inside quotes means; hex has no escapes at all).
    /// </summary>
    public static string Literal(string value) =>
        value.Length == 0
            ? "''"
            : "CONVERT(X'" + Convert.ToHexString(Encoding.UTF8.GetBytes(value)) + "' USING utf8mb4)";

    /// <summary>
    /// A value for a <c>key=value</c> line of an option file: double-quoted, so that <c>#</c> does not
    /// start a comment and spaces at either end survive; backslash, quotes and line breaks escaped the
    /// way the client's option-file reader undoes them.
    /// </summary>
    public static string OptionValue(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\b' => @"\b",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Undoes the escaping of <c>mysql --batch</c> output (<c>\t \n \\ \0</c>) in one field.</summary>
    public static string UnescapeBatchField(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var plain = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i == field.Length - 1)
            {
                plain.Append(field[i]);
                continue;
            }

            plain.Append(field[++i] switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                var other => other,
            });
        }

        return plain.ToString();
    }
}
