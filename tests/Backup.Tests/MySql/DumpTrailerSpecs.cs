using System.Text;
using Backup.Core.Pipeline;
using Backup.Core.Sources.MySql;

namespace Backup.Tests.MySql;

/// <summary>The completion-line check, shown a dump as mysqldump's output passes through an <see cref="ObservedStream"/>.</summary>
public sealed class DumpTrailerSpecs
{
    private static async Task<(DumpTrailer Tracker, MemoryStream Inner)> WriteAsync(params string[] chunks)
    {
        var inner = new MemoryStream();
        var tracker = new DumpTrailer();
        await using var stream = new ObservedStream(inner, tracker.Observe);
        foreach (var chunk in chunks)
            await stream.WriteAsync(Encoding.UTF8.GetBytes(chunk));
        return (tracker, inner);
    }

    [Fact]
    public async Task A_dump_ending_with_the_completion_line_is_complete()
    {
        var (tracker, _) = await WriteAsync("-- MariaDB dump\nINSERT INTO t VALUES (1);\n", "\n-- Dump completed on 2025-01-01 10:00:00\n");

        Assert.True(tracker.IsComplete);
    }

    [Fact]
    public async Task The_completion_line_is_found_when_split_across_writes()
    {
        var (tracker, _) = await WriteAsync("INSERT INTO t VALUES (1);\n-- Dump com", "ple", "ted\n");

        Assert.True(tracker.IsComplete);
    }

    [Fact]
    public async Task A_dump_cut_off_in_the_middle_is_incomplete()
    {
        var (tracker, _) = await WriteAsync("-- MariaDB dump\n", "INSERT INTO t VALUES (1),(2");

        Assert.False(tracker.IsComplete);
    }

    [Fact]
    public async Task An_empty_output_is_incomplete()
    {
        var (tracker, _) = await WriteAsync();

        Assert.False(tracker.IsComplete);
    }

    [Fact]
    public async Task A_completion_line_followed_by_more_statements_does_not_count()
    {
        var (tracker, _) = await WriteAsync("-- Dump completed on 2025-01-01\n", "INSERT INTO t VALUES (1);\n");

        Assert.False(tracker.IsComplete);
    }

    [Fact]
    public async Task Only_the_end_is_kept_while_every_byte_passes_through()
    {
        var big = new string('x', 100_000);
        var (tracker, inner) = await WriteAsync(big, "\n-- Dump completed\n", new string(' ', 3));

        Assert.True(tracker.IsComplete);
        Assert.Equal(100_000 + 19 + 3, inner.Length);
        Assert.Equal(inner.Length, tracker.BytesSeen);
    }

    [Fact]
    public void Synchronous_writes_are_tracked_too()
    {
        var tracker = new DumpTrailer();
        using var stream = new ObservedStream(Stream.Null, tracker.Observe);
        var bytes = Encoding.UTF8.GetBytes("x\n-- Dump completed on 2025\n");
        foreach (var b in bytes)
            stream.Write([b], 0, 1);

        Assert.True(tracker.IsComplete);
    }
}
