using Backup.Core.Restore;

namespace Backup.Tests.Restore;

public sealed class TarGuardSpecs
{
    private static async Task<byte[]> PassAsync(byte[] tar, TarGuard? guard = null)
    {
        using var output = new MemoryStream();
        await (guard ?? new TarGuard("data")).CopyAsync(new MemoryStream(tar), output, CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<string> RefusedAsync(byte[] tar, TarGuard? guard = null) =>
        (await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(tar, guard))).Message;

    [Fact]
    public async Task A_safe_archive_passes_through_byte_for_byte()
    {
        var tar = TarBytes.Of(TarBytes.Dir("data/"), TarBytes.File("data/a.txt", new string('a', 3000)),
            TarBytes.Symlink("data/link", "/etc/hostname"), TarBytes.File("data/" + new string('n', 150), "long name"));

        Assert.Equal(tar, await PassAsync(tar));
    }

    [Theory]
    [InlineData("/etc/cron.d/evil", "absolute path")]
    [InlineData("data/../../evil", "'..' component")]
    [InlineData("other/file", "outside the archived directory")]
    public async Task An_entry_that_could_land_outside_the_target_is_refused(string name, string why)
    {
        var message = await RefusedAsync(TarBytes.Of(TarBytes.File("data/ok"), TarBytes.File(name)));

        Assert.Contains($"unsafe tar entry '{name}'", message);
        Assert.Contains(why, message);
    }

    [Fact]
    public async Task A_file_written_through_a_symbolic_link_of_the_same_archive_is_refused()
    {
        var message = await RefusedAsync(TarBytes.Of(TarBytes.Symlink("data/escape", "../../.."), TarBytes.File("data/escape/pwned")));

        Assert.Contains("through the symbolic link 'data/escape'", message);
    }

    [Fact]
    public async Task A_file_written_through_a_symbolic_link_restored_by_an_earlier_link_is_refused()
    {
        var chain = new TarGuard("data");
        await PassAsync(TarBytes.Of(TarBytes.Dir("data/"), TarBytes.Symlink("data/escape", "/etc")), chain);

        var message = await RefusedAsync(TarBytes.Of(TarBytes.File("data/escape/pwned")), chain);

        Assert.Contains("through the symbolic link 'data/escape'", message);
    }

    [Fact]
    public async Task A_hard_link_to_an_absolute_path_is_refused()
    {
        var message = await RefusedAsync(TarBytes.Of(TarBytes.HardLink("data/shadow", "/etc/shadow")));

        Assert.Contains("hard link target is an absolute path", message);
    }

    [Fact]
    public async Task An_archive_cut_short_is_refused_as_truncated()
    {
        var tar = TarBytes.Of(TarBytes.File("data/a", new string('a', 5000)));

        var message = await RefusedAsync(tar[..2048]);

        Assert.Contains("truncated", message);
    }

    [Fact]
    public async Task Bytes_that_are_not_tar_are_refused()
    {
        var message = await RefusedAsync(new byte[512].Select((_, i) => (byte)(i % 7 + 1)).ToArray());

        Assert.Contains("checksum", message);
    }
}
