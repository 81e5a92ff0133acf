using Backup.Core.Sources.PostgreSql.DumpOptions;

namespace Backup.Core.Sources.PostgreSql;

/// <summary>
/// The pg_dump command line: the format, <c>--no-password</c> (a missing password fails at once
/// instead of waiting for a terminal), the user's <c>extra_args</c> (checked by <see cref="Check"/>),
/// and the database as a connection string (which carries no secret). pg_dump writes to stdout, the
/// backup stream.
/// </summary>
public static class PgDumpArguments
{
    /// <summary>The line a plain dump ends with (before psql's <c>\unrestrict</c> line, from 17.6, 16.10, 15.14, ...).</summary>
    public const string PlainCompletionLine = "-- PostgreSQL database dump complete";

    /// <param name="streamCompressed">The source's <c>compress</c> is set: the whole stream is compressed after pg_dump.</param>
    public static IReadOnlyList<string> Build(
        PgDumpFormat format, IReadOnlyList<string> extraArgs, string connectionString, bool streamCompressed = false)
    {
        var args = new List<string>
        {
            format == PgDumpFormat.Custom ? "--format=custom" : "--format=plain",
            "--no-password",
        };
        if (format == PgDumpFormat.Custom && streamCompressed && !SetsCompression(extraArgs))
            args.Add(Uncompressed);
        args.AddRange(extraArgs);
        args.Add("--dbname=" + connectionString);
        return args;
    }

    /// <summary>What <see cref="Build"/> adds to a custom archive whose stream the source compresses.</summary>
    public const string Uncompressed = "-Z0";

    /// <summary>Whether <paramref name="extraArgs"/> choose pg_dump's compression (<c>-Z</c>, <c>--compress</c>, in any spelling).</summary>
    public static bool SetsCompression(IReadOnlyList<string> extraArgs) =>
        GetoptParser.Parse(extraArgs, PgDumpOptionTable.All).Uses.Any(use => use.Option.Name == "compress");

    /// <summary>
    /// Everything wrong with <c>extra_args</c> for a dump in <paramref name="format"/>, each with the index
    /// of the element it is about (empty when fine): options that are refused, elements that are not
    /// options, and options no pg_dump knows or spelled ambiguously. No message quotes a value, so a
    /// password written there is not echoed. The config loader (for <c>validate</c>) and the source's
    /// preflight both ask here.
    /// </summary>
    public static IReadOnlyList<PgDumpArgumentProblem> Check(IReadOnlyList<string> extraArgs, PgDumpFormat format)
    {
        var parse = GetoptParser.Parse(extraArgs, PgDumpOptionTable.All);
        var problems = parse.Uses
            .Where(use => use.Option.IsRefusedIn(format))
            .Select(use => new PgDumpArgumentProblem(use.Index, $"{Describe(use)} is refused: {use.Option.Refusal}"))
            .Concat(parse.Problems);
        return problems.OrderBy(p => p.Index).ToArray();
    }

    /// <summary>"'--file'", "'-f' (--file)", "'--fi' (--file)".</summary>
    private static string Describe(PgOptionUse use) =>
        use.Spelling == "--" + use.Option.Name ? $"'{use.Spelling}'" : $"'{use.Spelling}' (--{use.Option.Name})";
}
