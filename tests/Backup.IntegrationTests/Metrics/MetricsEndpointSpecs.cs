using System.Net;
using System.Net.Sockets;
using System.Text;
using Backup.Core;
using Backup.Core.Metrics;
using Backup.Core.Running;

namespace Backup.IntegrationTests.Metrics;

/// <summary><see cref="MetricsEndpoint"/> on a real loopback socket, asked by HttpClient and by raw TCP clients.</summary>
public sealed class MetricsEndpointSpecs : IAsyncDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private MetricsSnapshot _snapshot = MetricsSnapshot.Empty;
    private EndpointHealth _health = EndpointHealth.Ok;
    private MetricsEndpoint? _endpoint;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_endpoint is not null)
            await _endpoint.DisposeAsync();
    }

    private Uri Start(IPAddress? address = null)
    {
        _endpoint = MetricsEndpoint.Start(new IPEndPoint(address ?? IPAddress.Loopback, 0), () => _snapshot, () => _health);
        return new Uri($"http://{_endpoint.Address}/");
    }

    private static MetricsSnapshot OneRun() => MetricsSnapshot.After(MetricsSnapshot.Empty, new RunReport(Monday, Monday.AddMinutes(1), false,
    [
        new ArtifactReport { Source = "db", Item = "shop", Status = ArtifactStatus.Ok, Key = "db/shop/shop-20261130T020001.000Z.sql.gz", StoredSize = 5 },
    ]), ["db"]);

    [Fact]
    public async Task Metrics_serves_the_current_snapshot_in_the_text_format()
    {
        var root = Start();
        _snapshot = OneRun();

        using var response = await _http.GetAsync(new Uri(root, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(PrometheusText.Render(_snapshot), await response.Content.ReadAsStringAsync());

        _snapshot = MetricsSnapshot.Empty;
        Assert.DoesNotContain("backup_last_", await _http.GetStringAsync(new Uri(root, "/metrics?x=1")));
    }

    [Fact]
    public async Task Healthz_is_ok_while_healthy_and_503_with_the_reason_otherwise()
    {
        var root = Start();

        using (var ok = await _http.GetAsync(new Uri(root, "/healthz")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("ok\n", await ok.Content.ReadAsStringAsync());
        }

        _health = EndpointHealth.Unhealthy("no run has finished for 2 days");
        using var sick = await _http.GetAsync(new Uri(root, "/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sick.StatusCode);
        Assert.Equal("no run has finished for 2 days\n", await sick.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_provider_that_throws_is_a_500_or_503_and_the_endpoint_keeps_serving()
    {
        _endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0),
            () => throw new InvalidOperationException("secret detail"), () => throw new InvalidOperationException("secret detail"));
        var root = new Uri($"http://{_endpoint.Address}/");

        using var metrics = await _http.GetAsync(new Uri(root, "/metrics"));
        using var health = await _http.GetAsync(new Uri(root, "/healthz"));

        Assert.Equal(HttpStatusCode.InternalServerError, metrics.StatusCode);
        Assert.Equal("metrics unavailable (InvalidOperationException)\n", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.DoesNotContain("secret", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Other_paths_are_404_other_methods_405_and_head_has_headers_only()
    {
        var root = Start();

        using var missing = await _http.GetAsync(new Uri(root, "/"));
        using var post = await _http.PostAsync(new Uri(root, "/metrics"), new StringContent("x"));
        using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(root, "/metrics")));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(["GET", "HEAD"], post.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(PrometheusText.Render(_snapshot)), head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_scraper_that_names_the_host_by_another_name_is_served()
    {
        var root = Start();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, "/metrics"));
        request.Headers.Host = "backup-host.example.org:9180";
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task It_listens_on_the_given_address_only()
    {
        Start(IPAddress.Parse("127.0.0.1"));
        using var other = new TcpClient();

        var refused = await Assert.ThrowsAsync<SocketException>(() => other.ConnectAsync(IPAddress.Parse("127.0.0.2"), _endpoint!.Address.Port));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public void A_port_in_use_is_a_clear_error()
    {
        Start();

        var e = Assert.Throws<BackupException>(() => MetricsEndpoint.Start(_endpoint!.Address, () => _snapshot, () => _health));

        Assert.StartsWith($"cannot listen on {_endpoint!.Address}: ", e.Message);
        Assert.Contains("is another process using the port", e.Message);
    }

    [Fact]
    public async Task Clients_that_send_nothing_or_garbage_do_not_keep_others_from_being_served()
    {
        var root = Start();
        var silent = new List<TcpClient>();
        for (var i = 0; i < 4; i++)
        {
            var client = new TcpClient();
            await client.ConnectAsync(_endpoint!.Address);
            silent.Add(client);
        }

        using var garbage = new TcpClient();
        await garbage.ConnectAsync(_endpoint!.Address);
        var stream = garbage.GetStream();
        await stream.WriteAsync("NOT HTTP\r\n\r\n"u8.ToArray());
        var answer = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
        Assert.Equal("ok\n", await _http.GetStringAsync(new Uri(root, "/healthz")));
        foreach (var client in silent)
            client.Dispose();
    }

    [Fact]
    public async Task Disposed_it_no_longer_listens()
    {
        Start();
        var address = _endpoint!.Address;

        await _endpoint.DisposeAsync();
        _endpoint = null;

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(address));
    }
}
