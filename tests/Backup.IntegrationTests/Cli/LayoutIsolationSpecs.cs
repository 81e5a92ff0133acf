using System.Text.Json;
using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Cli;

/// <summary>
/// Destinations whose prefixes nest (<c>P</c>, <c>P/a</c>, <c>P/e</c>) plus one at the bucket root, on
/// one real S3 server, and a source that stores only in its temp folder: each lists, verifies and
/// restores only what it stored itself, and every stored artifact is listed the same way.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class LayoutIsolationSpecs(S3Server s3) : IDisposable
{
    private static readonly Dictionary<string, string?> Env = new() { ["SPEC_S3_KEY"] = "S3RVER" };

    private readonly TempDir _dir = new("layout");
    private readonly string _prefix = "nest-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _rootSource = "root" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _dir.Dispose();

    private string Destination(string name, string prefix) => $"""
          {name}:
            method: s3
            S3_BUCKET: {S3Server.Bucket}
            prefix: "{prefix}"
            endpoint: {s3.Endpoint}
            AWS_ACCESS_KEY_ID: ${"{"}SPEC_S3_KEY{"}"}
            AWS_SECRET_ACCESS_KEY: ${"{"}SPEC_S3_KEY{"}"}

        """;

    private string Config()
    {
        foreach (var source in new[] { "a", "x", "e", _rootSource, "local" })
            _dir.Write($"{source}/data/{source}.txt", $"belongs to {source}");
        return _dir.Write("backup.yaml", $"""
            sources:
              directories:
                a: {"{"} path: {_dir.Combine("a", "data")}, destination: outer {"}"}
                x: {"{"} path: {_dir.Combine("x", "data")}, destination: nested-a {"}"}
                e: {"{"} path: {_dir.Combine("e", "data")}, destination: nested-e {"}"}
                {_rootSource}: {"{"} path: {_dir.Combine(_rootSource, "data")}, destination: root {"}"}
                local: {"{"} path: {_dir.Combine("local", "data")}, temp: {_dir.CreateDirectory("temp")} {"}"}
            destinations:
            {Destination("outer", _prefix)}{Destination("nested-a", _prefix + "/a")}{Destination("nested-e", _prefix + "/e")}{Destination("root", "")}
            """);
    }

    private static List<(string Source, string Destination)> Artifacts(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("artifacts").EnumerateArray()
            .Select(a => (a.GetProperty("manifest").GetProperty("source").GetString()!, a.GetProperty("destination").GetString()!))
            .OrderBy(a => a.Item1, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Nested_prefixes_and_the_bucket_root_each_list_verify_and_restore_only_their_own()
    {
        var config = Config();
        var run = await BackupCli.RunAsync(["run", "--config", config], environment: Env);
        Assert.True(run.ExitCode == 0, run.Stderr);
        // Not ours: another tool's files under the outer prefix, beside and inside a source's folder.
        using (var client = Backup.Core.Destinations.S3ClientFactory.Create(s3.Config(""), Backup.Core.Logging.IEventLog.Null))
        {
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = S3Server.Bucket, Key = $"{_prefix}/a/notes.txt", ContentBody = "not ours" });
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = S3Server.Bucket, Key = $"{_prefix}/a/data/data-old-copy.tar", ContentBody = "not ours" });
        }

        var all = await BackupCli.RunAsync(["list", "--config", config, "--json"], environment: Env);
        var onlyA = await BackupCli.RunAsync(["list", "--source", "a", "--config", config, "--json"], environment: Env);
        var verify = await BackupCli.RunAsync(["verify", "--config", config], environment: Env);

        Assert.True(all.ExitCode == 0, all.Stderr);
        Assert.Equal(new List<(string, string)> { ("a", "outer"), ("e", "nested-e"), ("local", "sources.directories.local.temp"), (_rootSource, "root"), ("x", "nested-a") }
            .OrderBy(a => a.Item1, StringComparer.Ordinal).ToList(), Artifacts(all.Stdout));
        Assert.Equal([("a", "outer")], Artifacts(onlyA.Stdout));
        using (var listing = JsonDocument.Parse(all.Stdout))
            Assert.Equal(0, listing.RootElement.GetProperty("problems").GetArrayLength());
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("verify: 5 ok, 0 failed", verify.Stderr);

        foreach (var source in new[] { "a", "x", "e", _rootSource, "local" })
        {
            var target = _dir.Combine("restored", source);
            var restore = await BackupCli.RunAsync(["restore", source, "--to", target, "--config", config], environment: Env);
            Assert.True(restore.ExitCode == 0, restore.Stderr);
            Assert.Equal([$"{source}.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        }
    }
}
