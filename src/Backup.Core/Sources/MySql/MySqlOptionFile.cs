using System.Globalization;
using System.Text;
using Backup.Core.Configuration;
using Backup.Core.Processes;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// The <c>[client]</c> option file that carries the credentials to mysql and mysqldump. It replaces the
/// seed's MYSQL_PWD: a child's environment and argv are readable by other processes, a 0600 file in a
/// 0700 directory is not, and it exists only while the child runs.
/// </summary>
internal static class MySqlOptionFile
{
    public const string ArgumentPrefix = "--defaults-extra-file=";

    public static string Render(string? host, int? port, string? user, Secret? password)
    {
        var text = new StringBuilder("[client]\n");
        if (user is not null)
            text.Append("user=").Append(MySqlText.OptionValue(user)).Append('\n');
        if (password is not null)
            text.Append("password=").Append(MySqlText.OptionValue(password.Reveal())).Append('\n');
        if (host is not null)
            text.Append("host=").Append(MySqlText.OptionValue(host)).Append('\n');
        if (port is { } p)
            text.Append("port=").Append(p.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes the file; the caller passes <c>ArgumentPrefix + Path</c> as the FIRST argument and disposes it.</summary>
    public static TempSecretFile Write(string? host, int? port, string? user, Secret? password, string? parentDirectory) =>
        TempSecretFiles.OfThisProcess.Create("client.cnf", Render(host, port, user, password), parentDirectory);
}
