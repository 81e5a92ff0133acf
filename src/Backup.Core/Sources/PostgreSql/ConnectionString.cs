using System.Text;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// libpq's <c>keyword='value'</c> connection strings, the one form in which the clients take a
/// database name as it is: given bare (<c>pg_dump NAME</c>), a name holding <c>=</c> or starting with
/// <c>postgresql://</c> would itself be read as a connection string.
/// </summary>
internal static class ConnectionString
{
    /// <summary>
    /// <c>keyword='value' ...</c>, every value quoted (so empty values and spaces survive) with
    /// <c>'</c> and <c>\</c> escaped by a backslash, as libpq's parser undoes it.
    /// </summary>
    public static string Render(IEnumerable<(string Keyword, string Value)> settings)
    {
        var text = new StringBuilder();
        foreach (var (keyword, value) in settings)
        {
            if (text.Length > 0)
                text.Append(' ');
            text.Append(keyword).Append("='");
            foreach (var c in value)
            {
                if (c is '\'' or '\\')
                    text.Append('\\');
                text.Append(c);
            }

            text.Append('\'');
        }

        return text.ToString();
    }
}
