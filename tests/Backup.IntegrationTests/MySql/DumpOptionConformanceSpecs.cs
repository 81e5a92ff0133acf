using System.Diagnostics;
using System.Text.RegularExpressions;
using Backup.Core.Sources.MySql;
using Backup.Core.Sources.MySql.DumpOptions;

namespace Backup.IntegrationTests.MySql;

/// <summary>
/// The option table and the my_getopt reading of extra_args, held against the installed mariadb-dump:
/// its --help lists the options (and the value of every switch after reading a command line), so what
/// the parser says a spelling does is checked against what the real program does with it.
/// </summary>
public sealed partial class DumpOptionConformanceSpecs
{
    [Fact]
    public void The_table_holds_exactly_the_options_of_the_installed_mariadb_dump()
    {
        var help = Help([]);
        var switches = Switches(help);
        var listed = OptionLine().Matches(help)
            .Select(m => (Name: m.Groups["name"].Value, Short: m.Groups["short"].Success ? m.Groups["short"].Value[0] : (char?)null,
                Argument: m.Groups["arg"].Value.StartsWith("[=", StringComparison.Ordinal) ? DumpOptionArgument.Optional
                    : m.Groups["arg"].Value.StartsWith('=') ? DumpOptionArgument.Required
                    : switches.ContainsKey(m.Groups["name"].Value) ? DumpOptionArgument.Bool : DumpOptionArgument.Flag))
            .ToDictionary(o => o.Name);
        var table = DumpOptionTable.Of(DumpClients.MariaDb).ToDictionary(o => o.Name);

        Assert.Empty(listed.Keys.Except(table.Keys));
        Assert.Empty(table.Keys.Except(listed.Keys));
        foreach (var (name, option) in listed)
        {
            Assert.True(table[name].Short == option.Short, $"--{name}: the table says -{table[name].Short}, mariadb-dump -{option.Short}");
            Assert.True(table[name].Argument == option.Argument, $"--{name}: the table says {table[name].Argument}, mariadb-dump {option.Argument}");
        }
    }

    public static TheoryData<string, string> SwitchSpellings()
    {
        var data = new TheoryData<string, string>();
        foreach (var spelling in new[]
                 {
                     "--verbose", "--verbose=0", "--verbose=1", "--verbose=on", "--verbose=OFF", "--verbose=TRUE", "--verbose=false",
                     "--verbose=yes", "--verbose=", "--verbose=1x", "--verbose=0x", "--skip-verbose", "--skip-verbose=0",
                     "--skip-verbose=1", "--skip-verbose=off", "--disable-verbose", "--disable-verbose=0", "--enable-verbose",
                     "--enable-verbose=0", "--enable-verbose=off", "--loose-verbose", "--loose-verbose=0", "--loose-skip-verbose",
                     "--skip-loose-verbose", "--loose-skip-verbose=0", "--maximum-verbose", "--autoset-verbose", "--VERBOSE",
                     "--Skip-Verbose", "--SKIP_verbose", "--verb", "--verbo=0", "--skip-verb", "--x.verbose", "--loose-x.verbose",
                     "--x.verbose=0", "--skip-skip-verbose", "--enable-skip-verbose", "--skip-enable-verbose", "--loose-loose-verbose",
                 })
            data.Add(spelling, "verbose");
        foreach (var spelling in new[] { "--databases", "--dat", "--data=1", "--loose-databases", "--skip-databases=0", "--maximum-databases", "-B" })
            data.Add(spelling, "databases");
        foreach (var spelling in new[] { "--all-databases", "--all-d", "--all_databases", "--loose-all-databases", "-A" })
            data.Add(spelling, "all-databases");
        foreach (var spelling in new[] { "--skip-comments", "--comments=0", "--skip-comm", "--disable-comments", "--enable-comments=0", "-i" })
            data.Add(spelling, "comments");
        foreach (var spelling in new[] { "--compact", "--compac", "--loose-compact", "--compact=off" })
            data.Add(spelling, "compact");
        return data;
    }

    [Theory]
    [MemberData(nameof(SwitchSpellings))]
    public void A_switch_is_read_as_mariadb_dump_reads_it(string spelling, string option)
    {
        var use = Assert.Single(DumpOptionParser.Parse([spelling], DumpClients.MariaDb).Uses);
        Assert.Equal(option, use.Option.Name);

        // From both starting values: an ignored value leaves the switch as it was.
        var fromOff = Switches(Help(["--skip-" + option, spelling]))[option];
        var fromOn = Switches(Help(["--" + option + "=1", spelling]))[option];

        var real = (fromOff, fromOn) switch
        {
            (true, true) => DumpOptionState.On,
            (false, false) => DumpOptionState.Off,
            (false, true) => DumpOptionState.Ignored,
            _ => throw new InvalidOperationException($"{spelling}: mariadb-dump inverted {option}"),
        };
        Assert.Equal(real, use.State);
    }

    public static TheoryData<string[], string, string> ValueSpellings => new()
    {
        { ["-vwfoo"], "where", "foo" },
        { ["-wv"], "where", "v" },
        { ["-w", "-v"], "where", "-v" },
        { ["--where", "-B"], "where", "-B" },
        { ["--where=-B"], "where", "-B" },
        { ["--wher", "x=1"], "where", "x=1" },
        { ["--loose-where=x"], "where", "x" },
        { ["--x.where=y"], "where", "y" },
        { ["-vP3306"], "port", "3306" },
        { ["-P", "3306"], "port", "3306" },
    };

    [Theory]
    [MemberData(nameof(ValueSpellings))]
    public void A_value_is_taken_as_mariadb_dump_takes_it(string[] args, string option, string value)
    {
        var parse = DumpOptionParser.Parse(args, DumpClients.MariaDb);

        Assert.Empty(parse.Problems);
        var use = Assert.Single(parse.Uses, u => u.Option.Name == option);
        Assert.Equal(value, use.Value);
        Assert.Equal(value, Variables(Help(args))[option]);
        var verbose = parse.Uses.Any(u => u.Option.Name == "verbose");
        Assert.Equal(verbose, Switches(Help(args))["verbose"]);
    }

    [Theory]
    [InlineData("--ver", true)]
    [InlineData("--co", true)]
    [InlineData("--comp", true)]
    [InlineData("--skip-c", true)]
    [InlineData("--nonexistent", true)]
    [InlineData("--skip-nonexistent", true)]
    [InlineData("--loose-nonexistent", false)]
    [InlineData("--skip-loose-nonexistent", false)]
    [InlineData("-Z", true)]
    [InlineData("--skip-", false)]
    [InlineData("--enable-", true)]
    [InlineData("--verbose", false)]
    public void An_unknown_or_ambiguous_spelling_is_an_error_exactly_when_mariadb_dump_says_so(string spelling, bool error)
    {
        var parse = DumpOptionParser.Parse([spelling], DumpClients.MariaDb);
        var stderr = Run([spelling, "--help"]).Stderr;

        Assert.Equal(error, ErrorLine().IsMatch(stderr));
        Assert.Equal(error, parse.Problems.Count > 0);
    }

    private static string Help(IReadOnlyList<string> args)
    {
        var (stdout, _) = Run([.. args, "--help"]);
        return stdout;
    }

    private static (string Stdout, string Stderr) Run(IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(MySqlClient.DumpProgram) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--no-defaults");
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (stdout.Result, stderr.Result);
    }

    /// <summary>The "Variables (--variable-name=value)" part of --help: every option's value after reading the command line.</summary>
    private static Dictionary<string, string> Variables(string help) =>
        help[help.IndexOf("---------------------------------", StringComparison.Ordinal)..]
            .Split('\n').Skip(1)
            .Select(line => VariableLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);

    private static Dictionary<string, bool> Switches(string help) =>
        Variables(help).Where(v => v.Value is "TRUE" or "FALSE").ToDictionary(v => v.Key, v => v.Value == "TRUE");

    [GeneratedRegex(@"^  (?:-(?<short>.), )?--(?<name>[a-z0-9][a-z0-9_-]*)(?<arg>\[=[^\]]*\]|=\S+)?", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9_-]*)\s+(?<value>.*?)\s*$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^mysqldump: (ambiguous|unknown) (option|variable)|^mariadb-dump: (ambiguous|unknown) (option|variable)|requires an argument|cannot take an argument|cannot be set", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
