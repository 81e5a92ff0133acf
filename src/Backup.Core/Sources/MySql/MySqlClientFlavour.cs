using System.Text.RegularExpressions;

namespace Backup.Core.Sources.MySql;

/// <summary>
/// Which mysqldump is installed: MariaDB's and Oracle's accept different flags, and passing one the
/// other does not know makes the whole dump fail with "unknown variable".
/// </summary>
public sealed partial record MySqlClientFlavour(bool IsMariaDb, Version Version)
{
    /// <summary>Reads <c>mysqldump --version</c> output, e.g. <c>mysqldump  Ver 10.19 Distrib 10.11.6-MariaDB, ...</c>.</summary>
    public static MySqlClientFlavour Parse(string versionOutput)
    {
        if (versionOutput.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
        {
            var maria = MariaDbVersion().Match(versionOutput);
            return new MySqlClientFlavour(true, maria.Success ? Version.Parse(maria.Groups[1].Value) : new Version(0, 0));
        }

        // MySQL 5.7: "Ver 10.13 Distrib 5.7.44, for Linux"; MySQL 8+: "Ver 8.0.36 for Linux".
        var distrib = DistribVersion().Match(versionOutput);
        var ver = distrib.Success ? distrib : PlainVersion().Match(versionOutput);
        return new MySqlClientFlavour(false, ver.Success ? Version.Parse(ver.Groups[1].Value) : new Version(0, 0));
    }

    public override string ToString() => $"{(IsMariaDb ? "MariaDB" : "MySQL")} {Version}";

    /// <summary>MariaDB's client dumps accounts and grants with <c>--system=users</c> from 10.2.37, 10.3.28, 10.4.18 and 10.5.9.</summary>
    public bool HasSystemUsers =>
        IsMariaDb && (Version >= new Version(10, 5, 9)
                      || (Version.Major == 10 && Version.Minor switch { 2 => Version.Build >= 37, 3 => Version.Build >= 28, 4 => Version.Build >= 18, _ => false }));

    [GeneratedRegex(@"(\d+\.\d+\.\d+)-MariaDB", RegexOptions.IgnoreCase)]
    private static partial Regex MariaDbVersion();

    [GeneratedRegex(@"Distrib (\d+\.\d+\.\d+)")]
    private static partial Regex DistribVersion();

    [GeneratedRegex(@"Ver (\d+\.\d+\.\d+)")]
    private static partial Regex PlainVersion();
}
