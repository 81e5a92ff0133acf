using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Logging;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real S3 HTTP server (the npm package s3rver, installed by <c>npm ci</c> at the repo root) on a
/// free loopback port, shared by the specs of the <see cref="S3ServerCollection"/>. It can be stopped
/// and started again on the same port and data directory to simulate an outage.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "backup-specs";

    // s3rver's built-in account; the values are public and only valid against it.
    private const string AccessKey = "S3RVER";

    private readonly TempDir _data = new("s3rver");
    private readonly string _script;
    private readonly string _guard;
    private readonly int _port;
    private CancellationTokenSource? _running;
    private Task<ProcessOutcome>? _process;

    public S3Server()
    {
        var root = FindRepoRoot();
        _script = Path.Combine(root, "node_modules", "s3rver", "bin", "s3rver.js");
        _guard = Path.Combine(root, "tests", "Backup.IntegrationTests", "Support", "node", "s3rver-guard.cjs");
        _port = FreePort();
    }

    public string Endpoint => $"http://127.0.0.1:{_port}";

    /// <summary>A destination config for this server, with s3rver's own (public, dummy) keys.</summary>
    public S3DestinationConfig Config(string prefix, int partSizeMb = 5, string? checksum = null) => new()
    {
        Name = "s3rver",
        Bucket = Bucket,
        Prefix = prefix,
        Endpoint = Endpoint,
        AccessKeyId = new Secret(AccessKey),
        SecretAccessKey = new Secret(AccessKey),
        Checksum = checksum,
        PartSizeMb = partSizeMb,
    };

    /// <summary>A destination whose client gives up after one retry and 10 s, so outage specs finish quickly.</summary>
    public S3Destination Destination(S3DestinationConfig config, IEventLog log) =>
        new(config, log, S3ClientFactory.Create(config, log, s3 =>
        {
            s3.MaxErrorRetry = 1;
            s3.Timeout = TimeSpan.FromSeconds(10);
        }));

    public async Task InitializeAsync()
    {
        if (!File.Exists(_script))
            throw new InvalidOperationException($"s3rver not installed: run scripts/test.sh (npm ci) ({_script} is missing)");
        await StartAsync();
        using var client = S3ClientFactory.Create(Config(""), IEventLog.Null);
        await client.PutBucketAsync(Bucket);
    }

    public async Task StartAsync()
    {
        _running = new CancellationTokenSource();
        // s3rver's continuation tokens use a cipher Node 17+ only offers with the legacy provider: without
        // it any listing past 1,000 keys answers 500 InternalError (LargeListingSpecs).
        var command = ChildProcess.Create("node",
            ["--require", _guard, _script, "--address", "127.0.0.1", "--port", _port.ToString(), "--directory", _data.Path, "--silent"],
            new Dictionary<string, string> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
        _process = Task.Run(() => ChildProcess.RunAsync(command, null, null, _running.Token));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await AcceptsConnectionsAsync())
        {
            // Awaiting also surfaces "cannot start 'node'" when Node.js is missing.
            if (_process.IsCompleted)
                throw new InvalidOperationException($"s3rver exited before listening on {Endpoint}: {(await _process).Describe()}");

            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"s3rver did not listen on {Endpoint} within 20 s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Whether a multipart upload of a key starting with <paramref name="keyPrefix"/> is open (begun,
    /// neither completed nor aborted), read from s3rver's own store: BUCKET/._S3rver_uploads/ID/key.
    /// </summary>
    public bool HasOpenUpload(string keyPrefix)
    {
        var uploads = Path.Combine(_data.Path, Bucket, "._S3rver_uploads");
        if (!Directory.Exists(uploads))
            return false;
        foreach (var upload in Directory.EnumerateDirectories(uploads))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(upload, "key")).StartsWith(keyPrefix, StringComparison.Ordinal))
                    return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Being created or just completed: not (or no longer) an open upload.
            }
        }

        return false;
    }

    /// <summary>Kills the server; its data directory stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null || _process is null)
            return;
        await _running.CancelAsync();
        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
            // Cancelling is how ChildProcess kills the program.
        }

        _running.Dispose();
        _running = null;
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _data.Dispose();
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Backup.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"cannot find Backup.slnx above {AppContext.BaseDirectory}");
    }
}
