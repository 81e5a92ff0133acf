using System.Globalization;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// What a restore must give back besides the bytes (which <c>diff -r</c> compares): for every entry,
/// the top directory included, its type, mode (setuid and sticky bits too), owner, group, mtime in
/// whole seconds (what a GNU tar header holds), link target, and for files their size and link count
/// (hard links). Read by GNU find, which sees names as bytes.
/// </summary>
public static class TreeListing
{
    public static IReadOnlyList<string> Of(string root)
    {
        var lines = Tools.Sh($"find '{root}' -printf '%P\\0%y\\0%#m\\0%U\\0%G\\0%T@\\0%l\\0%s\\0%n\\0\\n'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(line =>
        {
            var f = line.Split('\0');
            var seconds = Math.Floor(double.Parse(f[5], CultureInfo.InvariantCulture));
            var fileOnly = f[1] == "f" ? $" size={f[7]} links={f[8]}" : "";
            return $"'{f[0]}' {f[1]} {f[2]} {f[3]}:{f[4]} mtime={seconds} -> '{f[6]}'{fileOnly}";
        }).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Fails with the first entries that differ, when the two trees' metadata is not the same.</summary>
    public static void AssertSame(string expected, string actual)
    {
        var want = Of(expected);
        var got = Of(actual);
        var missing = want.Except(got).Take(10).ToList();
        var extra = got.Except(want).Take(10).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"restored metadata differs from the original:\nexpected but not restored:\n  {string.Join("\n  ", missing)}\nrestored but not expected:\n  {string.Join("\n  ", extra)}");
    }
}
