using System.Net;
using Backup.Core;
using Backup.Core.Metrics;

namespace Backup.Tests.Metrics;

public sealed class ListenAddressSpecs
{
    [Theory]
    [InlineData("127.0.0.1:9180", "127.0.0.1", 9180)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("localhost:9180", "127.0.0.1", 9180)]
    [InlineData("[::1]:9180", "::1", 9180)]
    [InlineData("[::]:65535", "::", 65535)]
    public void Host_and_port_are_read_once_into_the_address_to_bind(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ListenAddress.Parse(text));
    }

    [Theory]
    [InlineData("9180", "it needs a host and a port")]
    [InlineData("127.0.0.1:", "it needs a host and a port")]
    [InlineData(":9180", "it needs a host and a port")]
    [InlineData("127.0.0.1:0", "'0' is not a port from 1 to 65535")]
    [InlineData("127.0.0.1:70000", "'70000' is not a port from 1 to 65535")]
    [InlineData("127.0.0.1:+80", "'+80' is not a port")]
    [InlineData("::1:9180", "write an IPv6 address in brackets")]
    [InlineData("[127.0.0.1]:9180", "'[127.0.0.1]' is not an IPv6 address")]
    [InlineData("backup.example.org:9180", "'backup.example.org' is not an IP address (host names other than localhost are not resolved)")]
    [InlineData("10:9180", "'10' is not an IP address")]
    public void A_bad_address_says_what_is_wrong_and_how_to_write_it(string text, string fragment)
    {
        var e = Assert.Throws<UsageException>(() => ListenAddress.Parse(text));

        Assert.StartsWith($"--listen '{text}': ", e.Message);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.EndsWith("e.g. 127.0.0.1:9180 (this host only), [::1]:9180 or 0.0.0.0:9180 (every interface)", e.Message);
    }
}
