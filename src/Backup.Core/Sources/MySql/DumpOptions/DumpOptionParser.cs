namespace Backup.Core.Sources.MySql.DumpOptions;

/// <summary>A reason an element of <c>extra_args</c> cannot be read as mysqldump options (not a safety refusal).</summary>
public sealed record DumpSyntaxProblem(int Index, string Message);

/// <summary>What one client program makes of <c>extra_args</c>.</summary>
public sealed record DumpOptionParse(IReadOnlyList<DumpOptionUse> Uses, IReadOnlyList<DumpSyntaxProblem> Problems);

/// <summary>
/// Reads <c>extra_args</c> the way my_getopt (mysys/my_getopt.c, the same in MariaDB and MySQL) reads a
/// command line, so that no spelling reaches mysqldump meaning something the checks did not see:
/// <list type="bullet">
/// <item>short options bundle (<c>-vB</c> is <c>-v -B</c>); the first one that takes a value takes the
/// rest of the bundle (<c>-vpSECRET</c>), or the next argument when it needs one and the bundle ends;</item>
/// <item>long names match case-insensitively with <c>-</c> and <c>_</c> alike, and any unique prefix
/// (<c>--dat</c> is <c>--databases</c>); an exact name wins over longer ones;</item>
/// <item>when no option matches, the prefixes <c>skip-</c>, <c>disable-</c>, <c>enable-</c>,
/// <c>maximum-</c>, <c>loose-</c> (and MariaDB's <c>autoset-</c>) are stripped, repeatedly, the last one
/// stripped deciding (<c>--skip-loose-x</c> switches x on, <c>--loose-skip-x</c> off);
/// <c>--skip-x=0</c> switches x on again;</item>
/// <item><c>--KEY.NAME</c> is option NAME (a "struct option": my_getopt drops the key);</item>
/// <item>a value-taking long option without <c>=</c> takes the next argument, whatever it looks like.</item>
/// </list>
/// </summary>
public static class DumpOptionParser
{
    private const string Loose = "loose";
    private const string Skip = "skip";
    private const string Disable = "disable";
    private const string Enable = "enable";
    private const string Autoset = "autoset";

    private static readonly string[] MySqlPrefixes = [Skip, Disable, Enable, "maximum", Loose];
    private static readonly string[] MariaDbPrefixes = [.. MySqlPrefixes, Autoset];

    public static DumpOptionParse Parse(IReadOnlyList<string> args, DumpClients client)
    {
        var prefixes = client == DumpClients.MySql ? MySqlPrefixes : MariaDbPrefixes;
        var uses = new List<DumpOptionUse>();
        var problems = new List<DumpSyntaxProblem>();
        var endOfOptions = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (endOfOptions || arg.Length < 2 || arg[0] != '-')
            {
                problems.Add(new DumpSyntaxProblem(i, Positional(endOfOptions)));
                continue;
            }

            if (arg == "--")
            {
                problems.Add(new DumpSyntaxProblem(i,
                    "'--' ends mysqldump's options, so what follows would be read as database and table names; remove it"));
                endOfOptions = true;
                continue;
            }

            i = arg[1] == '-'
                ? ReadLong(args, i, client, prefixes, uses, problems)
                : ReadShort(args, i, client, uses, problems);
        }

        return new DumpOptionParse(uses, problems);
    }

    // The element itself is never quoted: after "-p" it could be a password.
    private static string Positional(bool afterEndOfOptions) =>
        (afterEndOfOptions ? "it follows '--', so it" : "it is not an option, so it") +
        " would be read as a database or table name and change what is dumped; extra_args holds options only " +
        "(the databases are 'databases' or 'all_databases_except_system')";

    /// <summary>Reads <c>args[index]</c> as a long option; returns the index of the last argument it used.</summary>
    private static int ReadLong(
        IReadOnlyList<string> args, int index, DumpClients client, string[] prefixes,
        List<DumpOptionUse> uses, List<DumpSyntaxProblem> problems)
    {
        var options = DumpOptionTable.Of(client);
        var raw = args[index];
        var rawEquals = raw.IndexOf('=', StringComparison.Ordinal);
        var spelling = rawEquals < 0 ? raw : raw[..rawEquals];
        var body = StructOptionName(raw[2..]);
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? body : body[..equals];
        var value = equals < 0 ? null : body[(equals + 1)..];

        var (option, matches) = Find(options, name);
        string? prefix = null;
        var loose = false;
        if (matches == 0)
        {
            // my_getopt restarts the prefix list after each strip that leaves no match.
            for (var p = 0; p < prefixes.Length; p++)
            {
                var candidate = prefixes[p];
                if (name.Length <= candidate.Length || !SameName(name.AsSpan(0, candidate.Length), candidate)
                    || name[candidate.Length] is not ('-' or '_'))
                    continue;

                name = name[(candidate.Length + 1)..];
                prefix = candidate;
                loose |= candidate == Loose;
                (option, matches) = Find(options, name);
                if (matches > 0)
                    break;
                p = -1;
            }
        }

        if (matches == 0)
        {
            if (DumpOptionTable.FirstArgumentOnly.Any(f => SameName(f, name)))
                problems.Add(new DumpSyntaxProblem(index,
                    $"'{spelling}' is only honoured as the first argument, which holds the credentials file; remove it"));
            else if (!loose)
                problems.Add(new DumpSyntaxProblem(index, $"'{spelling}' is not an option of {ClientName(client)}; check the spelling"));
            return index;
        }

        if (matches > 1)
        {
            problems.Add(new DumpSyntaxProblem(index,
                $"'{spelling}' is ambiguous for {ClientName(client)} ({Candidates(options, name)}); write the option in full"));
            return index;
        }

        value = prefix switch
        {
            Skip or Disable => value == "0" ? "1" : "0",
            Enable => value == "0" ? "0" : "1",
            _ => value,
        };

        var o = option!;
        // A switch's value is shown (it says what the use does); other values never are: one may be a password.
        if (o.Argument == DumpOptionArgument.Bool && rawEquals >= 0)
            spelling = raw;
        switch (o.Argument)
        {
            case DumpOptionArgument.Flag when value is not null:
                problems.Add(new DumpSyntaxProblem(index, $"'{spelling}'{Meaning(spelling, o)} takes no value; remove the value or the prefix"));
                return index;
            case DumpOptionArgument.Flag:
                uses.Add(new DumpOptionUse(index, spelling, o, DumpOptionState.On, null));
                return index;
            case DumpOptionArgument.Bool:
                uses.Add(new DumpOptionUse(index, spelling, o, BoolState(value), null));
                return index;
        }

        if (prefix == Autoset)
        {
            problems.Add(new DumpSyntaxProblem(index, $"'{spelling}': {o.Display} cannot be set automatically; give a value"));
            return index;
        }

        if (o.Argument == DumpOptionArgument.Required && value is null)
        {
            if (index + 1 >= args.Count)
            {
                problems.Add(new DumpSyntaxProblem(index, $"'{spelling}'{Meaning(spelling, o)} needs a value: write '{spelling}=VALUE'"));
                return index;
            }

            uses.Add(new DumpOptionUse(index, spelling, o, DumpOptionState.Value, args[index + 1]));
            return index + 1;
        }

        uses.Add(new DumpOptionUse(index, spelling, o, DumpOptionState.Value, value));
        return index;
    }

    /// <summary>Reads <c>args[index]</c> as a bundle of short options; returns the index of the last argument it used.</summary>
    private static int ReadShort(
        IReadOnlyList<string> args, int index, DumpClients client,
        List<DumpOptionUse> uses, List<DumpSyntaxProblem> problems)
    {
        var options = DumpOptionTable.Of(client);
        var bundle = args[index];
        for (var k = 1; k < bundle.Length; k++)
        {
            var letter = bundle[k];
            var option = options.FirstOrDefault(o => o.Short == letter);
            var spelling = "-" + letter;
            if (option is null)
            {
                problems.Add(new DumpSyntaxProblem(index, $"'{spelling}'{InBundle(bundle, spelling)} is not an option of {ClientName(client)}"));
                return index;
            }

            switch (option.Argument)
            {
                case DumpOptionArgument.Bool or DumpOptionArgument.Flag:
                    uses.Add(new DumpOptionUse(index, spelling, option, DumpOptionState.On, null));
                    continue;
                case DumpOptionArgument.Optional when k + 1 == bundle.Length:
                    uses.Add(new DumpOptionUse(index, spelling, option, DumpOptionState.Value, null));
                    return index;
                case DumpOptionArgument.Required when k + 1 == bundle.Length:
                    if (index + 1 >= args.Count)
                    {
                        problems.Add(new DumpSyntaxProblem(index, $"'{spelling}'{InBundle(bundle, spelling)} ({option.Display}) needs a value: write it right after the letter"));
                        return index;
                    }

                    uses.Add(new DumpOptionUse(index, spelling, option, DumpOptionState.Value, args[index + 1]));
                    return index + 1;
                default:
                    // The rest of the bundle is the value ("-vpSECRET", "-P3306").
                    uses.Add(new DumpOptionUse(index, spelling, option, DumpOptionState.Value, bundle[(k + 1)..]));
                    return index;
            }
        }

        return index;
    }

    private static string Meaning(string spelling, DumpOption option) =>
        spelling == "--" + option.Name ? "" : $" ({option.Display})";

    private static string InBundle(string bundle, string spelling) => bundle.Length > 2 ? " (in a bundle of short options)" : "";

    /// <summary>my_getopt's check_struct_option: <c>KEY.NAME[=V]</c> is <c>NAME[=V]</c> when a name follows the dot.</summary>
    private static string StructOptionName(string body)
    {
        var dot = body.Length > 1 ? body.IndexOf('.', 1) : -1;
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        var end = equals < 0 ? body.Length : equals;
        return dot >= 0 && end - dot > 1 ? body[(dot + 1)..] : body;
    }

    /// <summary>my_getopt's findopt: an exact name is one match; else every option the text begins counts once.</summary>
    private static (DumpOption? Option, int Matches) Find(IReadOnlyList<DumpOption> options, string name)
    {
        DumpOption? first = null;
        var matches = 0;
        foreach (var option in options)
        {
            if (option.Name.Length < name.Length || !SameName(option.Name.AsSpan(0, name.Length), name))
                continue;
            if (option.Name.Length == name.Length)
                return (option, 1);
            first ??= option;
            matches++;
        }

        return (first, matches);
    }

    private static string Candidates(IReadOnlyList<DumpOption> options, string name)
    {
        var all = options.Where(o => o.Name.Length >= name.Length && SameName(o.Name.AsSpan(0, name.Length), name))
            .Select(o => "--" + o.Name).ToArray();
        return string.Join(", ", all.Take(4)) + (all.Length > 4 ? ", ..." : "");
    }

    /// <summary>Case-insensitive, with '-' and '_' the same, as MariaDB 10.11's my_getopt compares names.</summary>
    private static bool SameName(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i] == '_' ? '-' : char.ToLowerInvariant(a[i]);
            var y = b[i] == '_' ? '-' : char.ToLowerInvariant(b[i]);
            if (x != y)
                return false;
        }

        return true;
    }

    /// <summary>my_getopt's reading of a switch's value: first character 1/0, or true/on/false/off; anything else is ignored.</summary>
    private static DumpOptionState BoolState(string? value)
    {
        if (value is null || value.StartsWith('1') || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("on", StringComparison.OrdinalIgnoreCase))
            return DumpOptionState.On;
        if (value.StartsWith('0') || value.Equals("false", StringComparison.OrdinalIgnoreCase)
            || value.Equals("off", StringComparison.OrdinalIgnoreCase))
            return DumpOptionState.Off;
        return DumpOptionState.Ignored;
    }

    /// <summary>"mariadb-dump" or "MySQL's mysqldump", for messages.</summary>
    public static string ClientName(DumpClients client) => client == DumpClients.MySql ? "MySQL's mysqldump" : "mariadb-dump";
}
