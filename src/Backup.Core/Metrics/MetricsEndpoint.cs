using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backup.Core.Metrics;

/// <summary>
/// A small HTTP/1.1 server for a daemon: <c>GET /metrics</c> (the same text as the metrics file, from
/// a snapshot provider) and <c>GET /healthz</c> (200 <c>ok</c>, or 503 and the reason). Bound to the
/// one address given, nothing else.
/// </summary>
/// <remarks>
/// On a raw <see cref="TcpListener"/> rather than <see cref="HttpListener"/>: the managed HttpListener
/// matches each request's Host header against its prefixes, so a listener on a concrete address answers
/// 400 to a scraper that names the host by its DNS name, and ASP.NET would be a large dependency for two
/// fixed answers. Each connection gets one request and is closed (<c>Connection: close</c>); the request
/// head is bounded in size and time, and a few connections are served at once at most, so a slow or
/// hostile client cannot hold the daemon.
/// </remarks>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestHead = 8 * 1024;
    private const int MaxConcurrentConnections = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<MetricsSnapshot> _snapshot;
    private readonly Func<EndpointHealth> _health;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentConnections);
    private readonly Task _accepting;
    private int _disposed;

    private MetricsEndpoint(TcpListener listener, Func<MetricsSnapshot> snapshot, Func<EndpointHealth> health)
    {
        _listener = listener;
        _snapshot = snapshot;
        _health = health;
        Address = (IPEndPoint)listener.LocalEndpoint;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where it listens (the port the kernel chose when started with port 0).</summary>
    public IPEndPoint Address { get; }

    /// <summary>
    /// Binds <paramref name="address"/> and serves until disposed. A port in use or an address this host
    /// does not have is a <see cref="BackupException"/> saying so.
    /// </summary>
    public static MetricsEndpoint Start(IPEndPoint address, Func<MetricsSnapshot> snapshot, Func<EndpointHealth> health)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(health);
        var listener = new TcpListener(address);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new BackupException($"cannot listen on {Describe(address)}: {e.Message} (is another process using the port, or is the address not this host's?)", e);
        }

        return new MetricsEndpoint(listener, snapshot, health);
    }

    private static string Describe(IPEndPoint address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]:{address.Port}" : address.ToString();

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                await _slots.WaitAsync(_stop.Token);
                Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var (status, contentType, body, head) = Answer(await ReadRequestLineAsync(stream, timeout.Token));
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = new StringBuilder()
                .Append("HTTP/1.1 ").Append(status).Append("\r\n")
                .Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Content-Length: ").Append(bytes.Length).Append("\r\n")
                .Append(status.StartsWith("405", StringComparison.Ordinal) ? "Allow: GET, HEAD\r\n" : "")
                .Append("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), timeout.Token);
            if (!head)
                await stream.WriteAsync(bytes, timeout.Token);
            await stream.FlushAsync(timeout.Token);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A client that went away, was too slow, or a stop: nothing to answer.
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The request line (<c>GET /metrics HTTP/1.1</c>), after reading the whole head; null when it is not HTTP or too large.</summary>
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new byte[MaxRequestHead];
        var length = 0;
        while (length < head.Length)
        {
            var read = await stream.ReadAsync(head.AsMemory(length), ct);
            if (read == 0)
                return null;
            length += read;
            var text = Encoding.ASCII.GetString(head, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Contains("\n\n", StringComparison.Ordinal))
                return text[..text.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
        }

        return null;
    }

    private (string Status, string ContentType, string Body, bool Head) Answer(string? requestLine)
    {
        const string plain = "text/plain; charset=utf-8";
        var parts = requestLine?.Split(' ');
        if (parts is not [var method, var target, var version] || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
            return ("400 Bad Request", plain, "bad request\n", false);
        var head = method == "HEAD";
        if (method != "GET" && !head)
            return ("405 Method Not Allowed", plain, "only GET and HEAD\n", head);
        var path = target.Split('?', 2)[0];
        switch (path)
        {
            case "/metrics":
                try
                {
                    return ("200 OK", PrometheusText.ContentType, PrometheusText.Render(_snapshot()), head);
                }
                catch (Exception e)
                {
                    return ("500 Internal Server Error", plain, $"metrics unavailable ({e.GetType().Name})\n", head);
                }

            case "/healthz":
                EndpointHealth health;
                try
                {
                    health = _health();
                }
                catch (Exception e)
                {
                    health = EndpointHealth.Unhealthy($"health check failed ({e.GetType().Name})");
                }

                return health.Healthy
                    ? ("200 OK", plain, "ok\n", head)
                    : ("503 Service Unavailable", plain, health.Reason.TrimEnd('\n') + "\n", head);
            default:
                return ("404 Not Found", plain, "not found: try /metrics or /healthz\n", head);
        }
    }

    /// <summary>Stops listening and waits for the connections being served.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _listener.Dispose();
        _stop.Dispose();
        _slots.Dispose();
    }
}
