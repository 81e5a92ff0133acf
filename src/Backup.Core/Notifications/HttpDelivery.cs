using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Backup.Core.Notifications;

/// <summary>
/// One HTTP POST per attempt, judged as <see cref="Attempts"/> needs: 2xx delivered, 5xx worth another
/// try, anything else refused. Failures are described from status codes and error kinds only: an
/// exception's own message names the host, and the URL may carry the token.
/// </summary>
internal static class HttpDelivery
{
    private const int MaxAnswerChars = 200;

    /// <summary>An HTTP client for notifications: no redirects (a POST would turn into a GET), the timeout left to <see cref="Attempts"/>.</summary>
    public static HttpClient NewClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends what <paramref name="request"/> builds (a new message for each attempt: a sent one cannot be sent again).</summary>
    public static async Task PostAsync(HttpClient client, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        HttpResponseMessage response;
        using var message = request();
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new NotificationFailedException(Describe(e), transient: true);
        }

        using (response)
        {
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
                return;
            var answer = await AnswerAsync(response, ct);
            var what = $"HTTP {code} {response.ReasonPhrase}".TrimEnd() + answer;
            if (code is >= 300 and < 400)
                throw new NotificationFailedException($"{what} (a redirect, not followed: give the URL it points to)");
            throw new NotificationFailedException(what, transient: code >= 500);
        }
    }

    public static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Describe(HttpRequestException e)
    {
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        var why = socket is null ? "" : $" ({socket.SocketErrorCode})";
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"the host name does not resolve{why}",
            HttpRequestError.ConnectionError => $"cannot connect{why}",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed (is the certificate valid for the host?)",
            HttpRequestError.ResponseEnded => "the connection closed before an answer",
            HttpRequestError.InvalidResponse => "the answer is not HTTP",
            _ => $"the request failed ({e.HttpRequestError}){why}",
        };
    }

    /// <summary>The start of the answer's body (Slack says <c>invalid_payload</c>, <c>no_service</c>), on one line.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxAnswerChars * 4];
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            var text = new string(Encoding.UTF8.GetString(buffer, 0, read).Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
            if (text.Length > MaxAnswerChars)
                text = text[..MaxAnswerChars] + "...";
            return text.Length == 0 ? "" : $": {text}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }
}
