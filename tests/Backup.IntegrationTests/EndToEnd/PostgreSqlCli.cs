using System.Text.Json;
using Backup.Core.Catalog;
using Backup.Core.Logging;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.EndToEnd;

/// <summary>
/// What the PostgreSQL specs through the `backup` program share: a config's connection keys for a
/// cluster (the password in a file, as it has every character that breaks quoting), the s3rver
/// destination, and runs whose JSON report is read back.
/// </summary>
public sealed class PostgreSqlCli(TempDir dir, S3Server s3, string prefix)
{
    private readonly string _passwordFile = dir.Write("pg-password", PostgreSqlServer.Password);

    public string Prefix => prefix;

    /// <summary>The keys that reach <paramref name="server"/> as <see cref="PostgreSqlServer.User"/>, indented for a source entry.</summary>
    public string Connection(PostgreSqlServer server) => $"""
              host: {PostgreSqlServer.Host}
              port: {server.Port}
              user: {PostgreSqlServer.User}
              password_file: {_passwordFile}
        """;

    /// <summary>The <c>destinations</c> section: <c>s3-main</c>, this spec's prefix on s3rver.</summary>
    public string Destinations => $"""
        destinations:
          s3-main:
            method: s3
            S3_BUCKET: {S3Server.Bucket}
            prefix: {prefix}
            endpoint: {s3.Endpoint}
            AWS_ACCESS_KEY_ID: S3RVER
            AWS_SECRET_ACCESS_KEY: S3RVER
        """;

    /// <summary>Runs `backup run --json`; returns the exit code, stderr, and each artifact's report as SOURCE/ITEM → its JSON.</summary>
    public static async Task<(int ExitCode, string Stderr, Dictionary<string, JsonElement> Artifacts)> RunAsync(
        string config, IEnumerable<string>? extra = null, IDictionary<string, string?>? environment = null)
    {
        var run = await BackupCli.RunAsync(["run", "--config", config, "--json", .. extra ?? []], environment: environment);
        using var report = JsonDocument.Parse(run.Stdout);
        var artifacts = report.RootElement.GetProperty("artifacts").EnumerateArray()
            .Where(a => a.GetProperty("item").ValueKind == JsonValueKind.String)
            .ToDictionary(a => $"{a.GetProperty("source").GetString()}/{a.GetProperty("item").GetString()}", a => a.Clone());
        return (run.ExitCode, run.Stderr, artifacts);
    }

    /// <summary>Runs `backup run --json`, which must succeed; returns SOURCE/ITEM → key.</summary>
    public static async Task<Dictionary<string, string>> BackupAsync(string config, params string[] extra)
    {
        var (exitCode, stderr, artifacts) = await RunAsync(config, extra);
        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        return artifacts.ToDictionary(a => a.Key, a => a.Value.GetProperty("key").GetString()!);
    }

    /// <summary>Every key under this spec's prefix.</summary>
    public async Task<List<string>> StoredKeysAsync()
    {
        using var destination = s3.Destination(s3.Config(prefix), IEventLog.Null);
        return (await destination.ListAsync("", CancellationToken.None).ToListAsync()).Select(o => o.Key).ToList();
    }

    /// <summary>Downloads the object <paramref name="key"/> into the spec's folder; returns the file.</summary>
    public async Task<string> DownloadAsync(string key)
    {
        using var destination = s3.Destination(s3.Config(prefix), IEventLog.Null);
        var file = dir.Combine(ArtifactNaming.FileName(key));
        await using var body = await destination.OpenReadAsync(key, CancellationToken.None);
        await using var output = File.Create(file);
        await body.CopyToAsync(output);
        return file;
    }

    /// <summary>The manifest stored beside <paramref name="key"/>.</summary>
    public async Task<Manifest> ManifestAsync(string key)
    {
        using var destination = s3.Destination(s3.Config(prefix), IEventLog.Null);
        await using var body = await destination.OpenReadAsync(Manifest.KeyFor(key), CancellationToken.None);
        var bytes = new MemoryStream();
        await body.CopyToAsync(bytes);
        return Manifest.Parse(bytes.ToArray(), key);
    }

    private readonly List<string> _restored = [];

    /// <summary>A new name for a database a spec restores into; <see cref="DropRestoredAsync"/> drops it.</summary>
    public string NewDatabase(string original)
    {
        var name = $"r_{Guid.NewGuid():N}"[..10] + "_" + original;
        _restored.Add(name);
        return name;
    }

    /// <summary>Drops every database named by <see cref="NewDatabase"/>, so that specs after this one see the fixture's alone.</summary>
    public async Task DropRestoredAsync(PostgreSqlServer server)
    {
        foreach (var database in _restored)
            await server.DropDatabaseAsync(database);
    }

    /// <summary>Asserts that <paramref name="output"/> holds <paramref name="fragment"/>, showing all of it when not.</summary>
    public static void AssertSays(string output, string fragment) =>
        Assert.True(output.Contains(fragment, StringComparison.Ordinal), $"expected \"{fragment}\" in:\n{output}");
}
