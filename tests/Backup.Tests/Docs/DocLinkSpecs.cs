using System.Text.RegularExpressions;

namespace Backup.Tests.Docs;

/// <summary>
/// Every relative link of the repository's Markdown (README, docs/, examples/) leads somewhere: the file
/// exists, and a <c>#fragment</c> names a heading of it as GitHub makes anchors. A section renamed
/// (<c>Daemon</c> became <c>Schedule: `backup daemon`</c>) must take its links along.
/// </summary>
public sealed partial class DocLinkSpecs
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Documents()
    {
        var files = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "examples"), "*.md", SearchOption.AllDirectories));
        return new TheoryData<string>(files.Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist(string document)
    {
        var path = Path.Combine(Root, document);
        var broken = new List<string>();
        foreach (Match link in LinkPattern().Matches(WithoutCode(File.ReadAllText(path))))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var fragment = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
                broken.Add($"{target}: no such file");
            else if (fragment is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(fragment))
                broken.Add($"{target}: no heading with that anchor in {Path.GetRelativePath(Root, resolved)}");
        }

        Assert.True(broken.Count == 0, $"{document}:\n{string.Join("\n", broken)}");
    }

    [Fact]
    public void Anchors_are_made_as_GitHub_makes_them()
    {
        // The check above can fail: these are the anchors GitHub gives these headings.
        Assert.Equal("schedule-backup-daemon", Anchor("Schedule: `backup daemon`"));
        Assert.Equal("sourcesdirectoriesname", Anchor("`sources.directories.NAME`"));
        Assert.Equal("the-minimal-setup-cron--healthchecks", Anchor("The minimal setup: cron + healthchecks"));
    }

    /// <summary>The anchors of a document's headings; a repeated heading gets <c>-1</c>, <c>-2</c>, ... as on GitHub.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in HeadingPattern().Matches(WithoutCode(File.ReadAllText(markdown))))
        {
            var anchor = Anchor(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    private static string Anchor(string heading) =>
        new string(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ').ToArray()).Replace(' ', '-');

    /// <summary>The text without fenced code blocks, whose <c>#</c> lines are comments, not headings.</summary>
    private static string WithoutCode(string text) => FencePattern().Replace(text, "");

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^#{1,6} +(?<text>.+?) *$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkPattern();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Backup.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (Backup.slnx) is not above the specs");
    }
}
