using System.Globalization;
using System.Text.RegularExpressions;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// A PostgreSQL version as the server counts it (<c>server_version_num</c>: 150018 is 15.18, 90624 is
/// 9.6.24). Since 10 the major version is the first number, before it the first two: pg_dump reads
/// servers of its own major version and older ones, never a newer one.
/// </summary>
public readonly partial record struct PostgreSqlVersion(int Number) : IComparable<PostgreSqlVersion>
{
    /// <summary>150000 for any 15.x, 90600 for any 9.6.x.</summary>
    public int Major => Number >= 100000 ? Number / 10000 * 10000 : Number / 100 * 100;

    public int CompareTo(PostgreSqlVersion other) => Number.CompareTo(other.Number);

    /// <summary>"15.18", "9.6.24".</summary>
    public override string ToString() =>
        Number >= 100000
            ? string.Create(CultureInfo.InvariantCulture, $"{Number / 10000}.{Number % 10000}")
            : string.Create(CultureInfo.InvariantCulture, $"{Number / 10000}.{Number / 100 % 100}.{Number % 100}");

    /// <summary>"15" or "9.6": how the PostgreSQL project names a release series.</summary>
    public string MajorText =>
        Number >= 100000
            ? (Number / 10000).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Number / 10000}.{Number / 100 % 100}");

    /// <summary>The value of <c>SHOW server_version_num</c>; null when it is not a number.</summary>
    public static PostgreSqlVersion? FromServerVersionNum(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? new PostgreSqlVersion(number)
            : null;

    /// <summary>
    /// The version in a client's <c>--version</c> line, e.g. <c>pg_dump (PostgreSQL) 15.18 (Debian
    /// 15.18-0+deb12u1)</c>, <c>pg_dump (PostgreSQL) 9.6.24</c> or <c>pg_dump (PostgreSQL) 18beta1</c>
    /// (a pre-release counts as its series' first); null when there is none.
    /// </summary>
    public static PostgreSqlVersion? FromVersionLine(string text)
    {
        var match = VersionLine().Match(text);
        if (!match.Success)
            return null;
        var first = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var second = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        var third = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return first >= 10
            ? new PostgreSqlVersion(first * 10000 + second)
            : new PostgreSqlVersion(first * 10000 + second * 100 + third);
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d{1,3})(?:\.(\d{1,4}))?(?:\.(\d{1,3}))?")]
    private static partial Regex VersionLine();
}
