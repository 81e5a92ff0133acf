using System.Diagnostics;
using System.Text;
using Backup.Core;
using Backup.Core.Processes;
using Backup.Tests.Support;

namespace Backup.Tests.Processes;

/// <summary>The one runner of external programs, alone and as a chain joined by OS pipes, with real coreutils.</summary>
public sealed class ChildProcessSpecs
{
    [Fact]
    public async Task A_chain_pipes_each_program_into_the_next_and_returns_every_outcome_in_order()
    {
        var input = new byte[3 << 20];
        new Random(7).NextBytes(input);
        var output = new MemoryStream();

        var outcomes = await ChildProcess.RunChainAsync(
            [ChildProcess.Create("gzip", ["-c", "-1"]), ChildProcess.Create("gzip", ["-d", "-c"]), ChildProcess.Create("cat", [])],
            new MemoryStream(input), output, CancellationToken.None);

        Assert.Equal([0, 0, 0], outcomes.Select(o => o.ExitCode));
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public async Task Each_program_has_its_own_exit_code_and_stderr()
    {
        var outcomes = await ChildProcess.RunChainAsync(
            [Sh("echo first >&2; echo data"), Sh("cat >/dev/null; echo second failed >&2; exit 3")],
            null, new MemoryStream(), CancellationToken.None);

        Assert.Equal(new ProcessOutcome(0, "first"), outcomes[0]);
        Assert.Equal(new ProcessOutcome(3, "second failed"), outcomes[1]);
    }

    [Fact]
    public async Task A_program_writing_into_a_closed_pipe_dies_of_SIGPIPE_as_under_a_shell()
    {
        // The runtime ignores SIGPIPE in this process; children must get the default back, or `yes`
        // would spin on write errors instead of ending.
        var output = new MemoryStream();

        var outcomes = await ChildProcess.RunChainAsync(
            [ChildProcess.Create("yes", []), ChildProcess.Create("head", ["-c", "6"])], null, output, CancellationToken.None);

        Assert.Equal(128 + 13, outcomes[0].ExitCode);
        Assert.Equal(0, outcomes[1].ExitCode);
        Assert.Equal("y\ny\ny\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Without_an_input_stream_a_program_reads_dev_null_not_the_terminal()
    {
        var output = new MemoryStream();

        var outcome = await ChildProcess.RunAsync(Sh("wc -c; ls -l /proc/self/fd/0 | grep -o '/dev/null'"), null, output, CancellationToken.None);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("0\n/dev/null\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task A_program_that_is_not_installed_fails_the_start_by_name_and_stops_the_others()
    {
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BackupException>(() => ChildProcess.RunChainAsync(
            [ChildProcess.Create("sleep", ["30"]), ChildProcess.Create("no-such-program-here", [])],
            null, null, CancellationToken.None));

        Assert.Contains("'no-such-program-here'", error.Message);
        Assert.Contains("is it installed", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), "the sleep started first must have been killed");
    }

    [Fact]
    public async Task Secret_variables_never_reach_a_child_but_the_commands_own_do()
    {
        Environment.SetEnvironmentVariable("PASSPHRASE", "never-in-a-child");
        try
        {
            var output = new MemoryStream();
            var command = ChildProcess.Create("sh", ["-c", "echo ${PASSPHRASE:-unset} $OWN"], new Dictionary<string, string> { ["OWN"] = "own" });

            await ChildProcess.RunAsync(command, null, output, CancellationToken.None);

            Assert.Equal("unset own\n", Encoding.ASCII.GetString(output.ToArray()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task The_credential_variables_of_every_source_kind_never_reach_a_child()
    {
        var variables = Backup.Core.Sources.SourceKinds.All.SelectMany(kind => kind.ChildSecretVariables).ToList();
        Assert.Contains("MYSQL_PWD", variables);
        foreach (var name in variables)
            Environment.SetEnvironmentVariable(name, "never-in-a-child");
        try
        {
            var output = new MemoryStream();
            var command = ChildProcess.Create("sh", ["-c", "env"]);

            await ChildProcess.RunAsync(command, null, output, CancellationToken.None);

            var seen = Encoding.ASCII.GetString(output.ToArray());
            Assert.DoesNotContain("never-in-a-child", seen);
            Assert.Contains("PATH=", seen);
        }
        finally
        {
            foreach (var name in variables)
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Cancellation_kills_the_chain()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChildProcess.RunChainAsync(
            [ChildProcess.Create("sleep", ["30"]), ChildProcess.Create("cat", [])], null, new MemoryStream(), cts.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task A_failing_output_stream_stops_the_programs_and_is_rethrown()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => ChildProcess.RunChainAsync(
            [ChildProcess.Create("yes", []), ChildProcess.Create("cat", [])], null, new FailingStream(), CancellationToken.None));

        Assert.Equal("the next stage failed", error.Message);
    }

    [Fact]
    public async Task Cancelling_a_program_in_its_own_process_group_kills_what_it_started_too()
    {
        using var dir = new TempDir("process-group");
        var pidFile = dir.Combine("pid");
        using var cts = new CancellationTokenSource();
        var command = Sh($"sleep 600 & echo $! > {pidFile}.tmp; mv {pidFile}.tmp {pidFile}; wait") with { OwnProcessGroup = true };

        var run = ChildProcess.RunAsync(command, null, null, cts.Token);
        await PollUntilAsync(() => File.Exists(pidFile));
        await cts.CancelAsync();

        // Without the group the sleep would live on, holding stderr open: the run would not end.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        await ProcessesGone.UntilGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    [Fact]
    public async Task What_a_program_in_its_own_process_group_leaves_running_is_killed_when_it_exits()
    {
        using var dir = new TempDir("process-group");
        var pidFile = dir.Combine("pid");
        var command = Sh($"sleep 600 & echo $! > {pidFile}; exit 0") with { OwnProcessGroup = true };

        var outcome = await ChildProcess.RunAsync(command, null, new MemoryStream(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, outcome.ExitCode);
        await ProcessesGone.UntilGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    private static async Task PollUntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "the condition never came true");
    }

    private static ChildCommand Sh(string script) => ChildProcess.Create("sh", ["-c", script]);

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("the next stage failed");
    }
}
