using Backup.Core;
using Backup.Core.Sources;

namespace Backup.Tests.Fakes;

public sealed class FakeSource(string name, IReadOnlyList<IBackupItem> items, string? preflightError = null) : ISource
{
    public string Name { get; } = name;
    public string Kind => "directories";
    public int Parallelism => 2;

    public Task PreflightAsync(CancellationToken ct) =>
        preflightError is null ? Task.CompletedTask : throw new BackupException(preflightError);

    public Task<IReadOnlyList<IBackupItem>> PlanAsync(CancellationToken ct) => Task.FromResult(items);
}
