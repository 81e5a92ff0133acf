namespace Backup.IntegrationTests.Support;

/// <summary>
/// `tar` stand-ins on a PATH of their own, in front of the real GNU tar, to make a run slow on
/// demand (it waits for a gate file) and to see whether two runs ever archived at the same time.
/// </summary>
public sealed class TarStandIn
{
    private readonly TempDir _dir;

    public TarStandIn(TempDir dir)
    {
        _dir = dir;
        var bin = dir.CreateDirectory("tar-bin");
        Gate = dir.Combine("tar-gate");
        Started = dir.Combine("tar-started");
        Overlap = dir.Combine("tar-overlap");
        var running = dir.Combine("tar-running");
        // mkdir is atomic: a second tar starting while one runs cannot create the folder, and says so.
        DummyProgram.Create(dir, "tar-bin/tar", $"""
            if ! mkdir '{running}' 2>/dev/null; then touch '{Overlap}'; fi
            touch '{Started}'
            while [ ! -e '{Gate}' ]; do sleep 0.02; done
            sleep 0.2 # archiving takes a moment: room for another run to overlap if the lock let it
            /usr/bin/tar "$@"; rc=$?
            rmdir '{running}' 2>/dev/null
            exit $rc
            """);
        Path = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
    }

    /// <summary>The PATH to give `backup`.</summary>
    public string Path { get; }

    /// <summary>tar waits until this file exists.</summary>
    public string Gate { get; }

    /// <summary>Created when a tar starts (and kept).</summary>
    public string Started { get; }

    /// <summary>Created when a tar started while another was running.</summary>
    public string Overlap { get; }

    public void Open() => File.WriteAllText(Gate, "");

    public async Task WaitUntilStartedAsync()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !File.Exists(Started); await Task.Delay(20))
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no tar started within 60 s ({_dir.Path})");
    }
}
