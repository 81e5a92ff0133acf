using System.Text;
using Backup.Core;
using Backup.Core.Catalog;
using Backup.Core.Compression;
using Backup.Core.Encryption;
using Backup.Core.Pipeline;
using Backup.Core.Processes;
using Backup.Core.Sources;
using Backup.Tests.Fakes;

namespace Backup.Tests.Pipeline;

/// <summary>
/// Neighbouring program stages run as one shell-like pipe (tar | zstd | gpg). Stand-ins are small sh
/// scripts, so the joining itself is real; their .NET bodies throw, which proves bytes never took that way.
/// </summary>
public sealed class JoinedProgramsSpecs
{
    [Fact]
    public async Task Neighbouring_programs_are_joined_and_the_producer_reports_the_raw_size()
    {
        var destination = new InMemoryDestination();
        var progress = new ArtifactProgress("t");

        var result = await ArtifactPipeline.RunAsync(
            new ProgramItem("printf 'hello world'", reportedBytes: 11), new ProgramCompressor("upper", "tr a-z A-Z"),
            new ProgramEncryptor("sed s/O/0/g"), [new ArtifactSink(destination, "k")], progress, CancellationToken.None);

        Assert.Equal("HELL0 W0RLD", Encoding.ASCII.GetString(destination.Objects["k"]));
        Assert.Equal(11, result.RawSize);
        Assert.Equal(11, progress.RawBytes);
        Assert.Equal(11, result.StoredSize);
    }

    [Fact]
    public async Task The_program_that_failed_is_named_not_the_one_killed_by_its_closed_pipe()
    {
        // `yes` dies of SIGPIPE when the next program stops reading: an echo of the failure, not its cause.
        var destination = new InMemoryDestination();

        var error = await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(
            new ProgramItem("yes", reportedBytes: 1), new ProgramCompressor("squeeze", "head -c 10 >/dev/null; echo squeeze broke >&2; exit 3"),
            new ProgramEncryptor("cat"), [new ArtifactSink(destination, "k")], new ArtifactProgress("t"), CancellationToken.None));

        Assert.Equal("squeeze", error.Stage);
        Assert.Contains("squeeze broke", error.Message);
        Assert.Empty(destination.Objects);
    }

    [Fact]
    public async Task A_producer_killed_by_a_signal_of_its_own_is_still_the_cause()
    {
        var destination = new InMemoryDestination();

        var error = await Assert.ThrowsAsync<StageFailedException>(() => ArtifactPipeline.RunAsync(
            new ProgramItem("printf partial; kill -9 $$", reportedBytes: 1), new ProgramCompressor("upper", "cat"),
            new ProgramEncryptor("cat"), [new ArtifactSink(destination, "k")], new ArtifactProgress("t"), CancellationToken.None));

        Assert.Equal("producer", error.Stage);
        Assert.Contains("exit code 137", error.Message);
        Assert.Empty(destination.Objects);
    }

    [Fact]
    public async Task A_lone_program_next_to_a_stage_in_dotnet_keeps_its_own_body_and_live_count()
    {
        // The producer is followed by a .NET compressor, so it cannot be joined: its bytes are counted
        // as they pass (11), whatever it reports (999 here, to tell the two apart).
        var destination = new InMemoryDestination();

        var result = await ArtifactPipeline.RunAsync(
            new ProgramItem("printf 'hello world'", reportedBytes: 999, allowBody: true), new XorCompressor(),
            new ProgramEncryptor("cat", allowBody: true), [new ArtifactSink(destination, "k")], new ArtifactProgress("t"), CancellationToken.None);

        Assert.Equal(11, result.RawSize);
        Assert.Equal(XorCompressor.Apply(Encoding.ASCII.GetBytes("hello world")), destination.Objects["k"]);
    }

    private static ProgramStep Sh(string name, string script, long? reported) => new(
        ChildProcess.Create("sh", ["-c", script]),
        outcome => outcome.ExitCode == 0 ? reported : throw new BackupException($"{name} failed with {outcome.Describe()}"));

    private static Task Body(bool allowed, IProgramStage stage, Stream? input, Stream output, CancellationToken ct) =>
        allowed ? ProgramStep.RunAsync(stage, input, output, ct) : throw new InvalidOperationException("joined: the body must not run");

    private sealed class ProgramItem(string script, long reportedBytes, bool allowBody = false) : IBackupItem, IProgramStage
    {
        public string Name => "item";
        public string Producer => "producer";
        public string Extension => ".raw";
        public ChainInfo? Chain => null;
        public IReadOnlyList<string> Warnings => [];
        public Task WriteAsync(Stream output, CancellationToken ct) => Body(allowBody, this, null, output, ct);
        public Task<ProgramStep> PrepareAsync(CancellationToken ct) => Task.FromResult(Sh(Producer, script, reportedBytes));
        public Task CommitAsync(string storedKey, CancellationToken ct) => Task.CompletedTask;
        public Task AbortAsync() => Task.CompletedTask;
    }

    private sealed class ProgramCompressor(string name, string script) : ICompressor, IProgramStage
    {
        public string Extension => ".x";
        public string Name => name;
        public Task CompressAsync(Stream input, Stream output, CancellationToken ct) => Body(false, this, input, output, ct);
        public Task DecompressAsync(Stream input, Stream output, CancellationToken ct) => throw new NotSupportedException();
        public Task<ProgramStep> PrepareAsync(CancellationToken ct) => Task.FromResult(Sh(name, script, null));
    }

    private sealed class ProgramEncryptor(string script, bool allowBody = false) : IEncryptor, IProgramStage
    {
        public string Extension => ".enc";
        public Task<EncryptionPreflight> PreflightAsync(CancellationToken ct) => Task.FromResult(EncryptionPreflight.None);
        public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) => Body(allowBody, this, input, output, ct);
        public Task DecryptAsync(Stream input, Stream output, CancellationToken ct) => throw new NotSupportedException();
        public Task<ProgramStep> PrepareAsync(CancellationToken ct) => Task.FromResult(Sh("enc", script, null));
    }
}
