namespace Backup.Core.Sources.PostgreSql.DumpOptions;

/// <summary>What a client makes of <c>extra_args</c>: the options it sees, and the elements it cannot read as options.</summary>
public sealed record PgOptionParse(IReadOnlyList<PgOptionUse> Uses, IReadOnlyList<PgDumpArgumentProblem> Problems);

/// <summary>
/// Reads <c>extra_args</c> the way glibc's getopt_long reads a PostgreSQL client's command line, so that no
/// spelling reaches the program meaning something the checks did not see:
/// <list type="bullet">
/// <item>short options bundle (<c>-vf PATH</c> is <c>-v -f PATH</c>); the first one that takes a value
/// takes the rest of the bundle (<c>-fPATH</c>), or the next element when the bundle ends there;</item>
/// <item>a long option is its exact name or any prefix that names one option (<c>--fi</c> is
/// <c>--file</c>), case-sensitively; a required value follows <c>=</c> or is the next element,
/// whatever it looks like (<c>--file --verbose</c> writes to a file named <c>--verbose</c>), an
/// optional one only follows <c>=</c>;</item>
/// <item>anything that is not an option, wherever it stands (getopt_long moves such elements to the
/// end), is an operand: for pg_dump the database's name or connection string; so is all after <c>--</c>.</item>
/// </list>
/// </summary>
public static class GetoptParser
{
    public static PgOptionParse Parse(IReadOnlyList<string> args, IReadOnlyList<PgOption> options)
    {
        var uses = new List<PgOptionUse>();
        var problems = new List<PgDumpArgumentProblem>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                problems.Add(new PgDumpArgumentProblem(i,
                    "'--' ends the options, so what follows would be read as the database to dump; remove it"));
                for (var j = i + 1; j < args.Count; j++)
                    problems.Add(new PgDumpArgumentProblem(j, Operand));
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
                problems.Add(new PgDumpArgumentProblem(i, Operand));
            else if (arg[1] == '-')
                i = ReadLong(args, i, options, uses, problems);
            else
                i = ReadShort(args, i, options, uses, problems);
        }

        return new PgOptionParse(uses, problems);
    }

    // The element itself is never quoted: it could be a password typed in the wrong place.
    private const string Operand =
        "it is not an option, so pg_dump would read it as the database to dump (or a connection string); extra_args " +
        "holds options only (the databases are 'databases' or 'all_databases_except_system')";

    /// <summary>Reads <c>args[index]</c> as a long option; returns the index of the last element it used.</summary>
    private static int ReadLong(
        IReadOnlyList<string> args, int index, IReadOnlyList<PgOption> options, List<PgOptionUse> uses, List<PgDumpArgumentProblem> problems)
    {
        var arg = args[index];
        var equals = arg.IndexOf('=');
        var name = equals < 0 ? arg[2..] : arg[2..equals];
        var spelling = "--" + name;

        var exact = options.FirstOrDefault(o => o.Name == name);
        var candidates = exact is not null ? [exact] : options.Where(o => o.Name.StartsWith(name, StringComparison.Ordinal)).ToArray();
        if (candidates.Length == 0)
        {
            problems.Add(new PgDumpArgumentProblem(index, $"'{spelling}' is no pg_dump option"));
            return index;
        }

        // glibc takes a prefix of several names that are one option (--no-acl, --no-privileges) as that option.
        if (candidates.Select(o => o.Identity).Distinct().Count() > 1)
        {
            var names = string.Join(", ", candidates.Select(o => "--" + o.Name));
            problems.Add(new PgDumpArgumentProblem(index, $"'{spelling}' is ambiguous ({names}); write the option's full name"));
            return index;
        }

        var option = candidates[0];
        if (equals >= 0)
        {
            if (option.Argument == PgOptionArgument.None)
            {
                problems.Add(new PgDumpArgumentProblem(index, $"'{spelling}' (--{option.Name}) takes no value"));
                return index;
            }

            uses.Add(new PgOptionUse(index, option, spelling, arg[(equals + 1)..]));
            return index;
        }

        if (option.Argument != PgOptionArgument.Required)
        {
            uses.Add(new PgOptionUse(index, option, spelling, null));
            return index;
        }

        return TakeNext(args, index, option, spelling, uses, problems);
    }

    /// <summary>Reads the bundle <c>args[index]</c> (<c>-vf</c>); returns the index of the last element it used.</summary>
    private static int ReadShort(
        IReadOnlyList<string> args, int index, IReadOnlyList<PgOption> options, List<PgOptionUse> uses, List<PgDumpArgumentProblem> problems)
    {
        var arg = args[index];
        for (var at = 1; at < arg.Length; at++)
        {
            var letter = arg[at];
            var option = options.FirstOrDefault(o => o.Short == letter);
            if (option is null)
            {
                problems.Add(new PgDumpArgumentProblem(index, $"'-{letter}' is no pg_dump option"));
                return index;
            }

            var spelling = "-" + letter;
            if (option.Argument == PgOptionArgument.None)
            {
                uses.Add(new PgOptionUse(index, option, spelling, null));
                continue;
            }

            var rest = arg[(at + 1)..];
            if (rest.Length > 0 || option.Argument == PgOptionArgument.Optional)
            {
                uses.Add(new PgOptionUse(index, option, spelling, rest.Length > 0 ? rest : null));
                return index;
            }

            return TakeNext(args, index, option, spelling, uses, problems);
        }

        return index;
    }

    /// <summary>An option that needs a value and has none in its element takes the next element, whatever it is.</summary>
    private static int TakeNext(
        IReadOnlyList<string> args, int index, PgOption option, string spelling, List<PgOptionUse> uses, List<PgDumpArgumentProblem> problems)
    {
        if (index + 1 >= args.Count)
        {
            problems.Add(new PgDumpArgumentProblem(index, $"'{spelling}' (--{option.Name}) needs a value and is the last element"));
            return index;
        }

        uses.Add(new PgOptionUse(index, option, spelling, args[index + 1]));
        return index + 1;
    }
}
