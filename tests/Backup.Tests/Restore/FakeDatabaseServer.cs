using Backup.Core.Restore;

namespace Backup.Tests.Restore;

/// <summary>Databases as name → imported SQL text; records what the restore did to them.</summary>
public sealed class FakeDatabaseServer : IDatabaseRestoreTarget
{
    public Dictionary<string, string> Databases { get; } = new();

    public List<string> Dropped { get; } = [];

    public string Describe => "fake-server";

    public Task<bool> ExistsAsync(string database, CancellationToken ct) => Task.FromResult(Databases.ContainsKey(database));

    public Task<bool> IsEmptyAsync(string database, CancellationToken ct) => Task.FromResult(Databases[database].Length == 0);

    /// <summary>Runs when the restore creates a database: after its check pass, before its import pass.</summary>
    public Action? OnCreate { get; set; }

    public Task CreateAsync(string database, CancellationToken ct)
    {
        OnCreate?.Invoke();
        Databases.Add(database, "");
        return Task.CompletedTask;
    }

    public Task DropAsync(string database, CancellationToken ct)
    {
        Databases.Remove(database);
        Dropped.Add(database);
        return Task.CompletedTask;
    }

    /// <summary>What <see cref="MissingDefinersAsync"/> answers.</summary>
    public List<string> MissingDefiners { get; } = [];

    public Task<IReadOnlyList<string>> MissingDefinersAsync(string database, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(MissingDefiners.ToArray());

    /// <summary>How many imports began: a restore that proves its artifact first starts none for a bad one.</summary>
    public int ImportsStarted { get; private set; }

    public async Task ImportAsync(Stream sql, string database, CancellationToken ct)
    {
        ImportsStarted++;
        using var reader = new StreamReader(sql);
        Databases[database] += await reader.ReadToEndAsync(ct);
    }
}
