using Backup.Core.Pipeline;

namespace Backup.Core.Running;

/// <summary>Live view of a run, for the CLI's progress display. Called from worker threads.</summary>
public interface IRunObserver
{
    void ArtifactStarted(ArtifactProgress progress);

    void ArtifactFinished(ArtifactProgress progress, ArtifactReport report);

    public static IRunObserver Null { get; } = new NullObserver();

    private sealed class NullObserver : IRunObserver
    {
        public void ArtifactStarted(ArtifactProgress progress) { }
        public void ArtifactFinished(ArtifactProgress progress, ArtifactReport report) { }
    }
}
