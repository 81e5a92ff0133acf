using System.Globalization;
using System.Net;

namespace Backup.Core.Metrics;

/// <summary>
/// <c>--listen HOST:PORT</c>, read once: an IP address (<c>127.0.0.1</c>, <c>[::1]</c>, <c>0.0.0.0</c>
/// for every interface) or <c>localhost</c>, and a port from 1 to 65535. No other host names: a name
/// that resolves to several addresses, or differently tomorrow, would not say what is bound.
/// </summary>
public static class ListenAddress
{
    public static IPEndPoint Parse(string text, string option = "--listen")
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw Bad(text, option, "it needs a host and a port");
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw Bad(text, option, $"'{portText}' is not a port from 1 to 65535");

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                return new IPEndPoint(v6, port);
            throw Bad(text, option, $"'{host}' is not an IPv6 address");
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new IPEndPoint(IPAddress.Loopback, port);
        if (host.Contains(':', StringComparison.Ordinal))
            throw Bad(text, option, "write an IPv6 address in brackets, e.g. [::1]:9180");
        if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && host.Count(c => c == '.') == 3)
            return new IPEndPoint(v4, port);
        throw Bad(text, option, $"'{host}' is not an IP address (host names other than localhost are not resolved)");
    }

    private static UsageException Bad(string text, string option, string why) =>
        new($"{option} '{text}': {why}; write HOST:PORT with an IP address, e.g. 127.0.0.1:9180 (this host only), [::1]:9180 or 0.0.0.0:9180 (every interface)");
}
