using Backup.Core.Sources.Directories;

namespace Backup.Tests.Sources;

public sealed class CQuotedSpecs
{
    [Theory]
    [InlineData("\"data/file\"", 9)]
    [InlineData("\"data/b\\377d \\\"q\\\"\"", 12)] // data/b, one byte 0xff, d, space, "q" with its quotes
    [InlineData("\"a\\nb\\\\c\"", 5)]
    [InlineData("\"caf\\303\\251\"", 5)] // café in UTF-8: two bytes for é
    public void The_length_of_a_c_quoted_name_is_the_length_in_bytes_of_the_name(string quoted, int bytes)
    {
        Assert.Equal(bytes, CQuoted.ByteLength(quoted));
    }
}
