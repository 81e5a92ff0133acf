using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real HTTP/1.1 server on a free loopback port, for what notifications send (webhooks, healthchecks
/// pings): it records every request (method, path and query, headers, body) and answers each with
/// what <see cref="Answer"/> says for its number (0, 1, ...): a status code, or no answer at all (a hung
/// receiver, held open until the client gives up or the receiver is disposed).
/// </summary>
public sealed class LoopbackHttpReceiver : IAsyncDisposable
{
    /// <summary>An answer that never comes.</summary>
    public const int Hang = -1;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly Task _accepting;
    private int _count;

    public sealed record Request(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
    }

    public LoopbackHttpReceiver(Func<int, int>? answer = null)
    {
        Answer = answer ?? (_ => 200);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The status code for request number N (from 0), or <see cref="Hang"/>.</summary>
    public Func<int, int> Answer { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>The requests whose body was read in full, in the order they came.</summary>
    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>Waits until <paramref name="count"/> requests came (the condition, not a set time) and returns them.</summary>
    public async Task<IReadOnlyList<Request>> WaitForAsync(int count)
    {
        await Poll.UntilAsync(() => _requests.Count >= count, $"{count} request(s) at {Url("/")}");
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new BufferedReader(stream);
                while (await ReadRequestAsync(reader) is { } request)
                {
                    var number = Interlocked.Increment(ref _count) - 1;
                    _requests.Enqueue(request);
                    var status = Answer(number);
                    if (status == Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    var body = Encoding.UTF8.GetBytes(status < 300 ? "OK" : $"answer {status}");
                    var head = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (a timeout gave up), or the receiver is stopping.
            }
        }
    }

    private static async Task<Request?> ReadRequestAsync(BufferedReader reader)
    {
        var requestLine = await reader.ReadLineAsync();
        if (string.IsNullOrEmpty(requestLine))
            return null;
        var parts = requestLine.Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync())
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("content-length", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new Request(parts[0], parts[1], headers, await reader.ReadBytesAsync(length));
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Reads CRLF lines and then exact byte counts from one stream, without reading past a request.</summary>
    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync())
                    return line.Count == 0 ? null : Encoding.ASCII.GetString([.. line]);
                var b = _buffer[_start++];
                if (b == '\n')
                    return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                line.Add(b);
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count)
        {
            var bytes = new byte[count];
            for (var at = 0; at < count;)
            {
                if (_start == _end && !await FillAsync())
                    throw new IOException("the request ended inside its body");
                var n = Math.Min(count - at, _end - _start);
                Array.Copy(_buffer, _start, bytes, at, n);
                _start += n;
                at += n;
            }

            return bytes;
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer);
            return _end > 0;
        }
    }
}
