using Backup.Core.Restore;
using Backup.Core.Sources.Directories.Restore;

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

public sealed class TarGuardChainSpecs
{
    private static async Task PassAsync(TarGuard guard, byte[] tar) =>
        await guard.CopyAsync(new MemoryStream(tar), Stream.Null, CancellationToken.None);

    // A GNU incremental directory record ('D'): its members, each prefixed by a letter.
    private static byte[] DumpDir(string name, string records) => TarBytes.Member('D', name, records);

    [Fact]
    public async Task A_top_entry_that_is_a_symbolic_link_is_refused()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            PassAsync(new TarGuard("data"), TarBytes.Of(TarBytes.Symlink("data", "/srv/victim"), TarBytes.File("data/x"))));

        Assert.Contains("the archive's top 'data' is not a directory", e.Message);
    }

    [Fact]
    public async Task A_link_replaced_by_a_directory_in_a_later_link_may_be_written_into()
    {
        var guard = new TarGuard("data");
        await PassAsync(guard, TarBytes.Of(TarBytes.Dir("data/"), TarBytes.Symlink("data/d", "/etc")));

        await PassAsync(guard, TarBytes.Mixed(DumpDir("data/", "Dd\0\0"), DumpDir("data/d/", "Yf\0\0"), TarBytes.File("data/d/f")));
    }

    [Fact]
    public async Task A_link_moved_by_an_incremental_rename_is_still_a_link_under_its_new_name()
    {
        var guard = new TarGuard("data");
        await PassAsync(guard, TarBytes.Of(TarBytes.Dir("data/"), TarBytes.Dir("data/dir/"), TarBytes.Symlink("data/dir/escape", "/etc")));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(guard, TarBytes.Mixed(
            DumpDir("data/", "Dmoved\0Rdata/dir\0Tdata/moved\0\0"), DumpDir("data/moved/", "Nescape\0\0"), TarBytes.File("data/moved/escape/pwned"))));

        Assert.Contains("through the symbolic link 'data/moved/escape'", e.Message);
    }

    // A pax record as GNU tar writes one ("LENGTH key=value\n", LENGTH counting itself).
    private static byte[] PaxRecord(string key, string value)
    {
        var body = $" {key}={value}\n";
        var length = body.Length + 1;
        while ((length.ToString().Length + body.Length) != length)
            length++;
        return TarBytes.Member('x', "PaxHeaders/entry", $"{length}{body}");
    }

    [Fact]
    public async Task Incremental_records_in_pax_headers_are_checked_like_gnu_ones_an_escaping_rename_is_refused()
    {
        // GNU tar writes POSIX archives (dumpdirs as GNU.dumpdir pax records) whenever xattrs are kept.
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(new TarGuard("data"), TarBytes.Mixed(
            PaxRecord("GNU.dumpdir", "Dsub\0Rdata/sub\0T/etc/cron.d\0\0"), TarBytes.Member('5', "data/"))));

        Assert.Contains("incremental rename record is an absolute path", e.Message);
    }

    [Fact]
    public async Task A_link_moved_by_a_rename_in_a_pax_header_is_still_a_link_under_its_new_name()
    {
        var guard = new TarGuard("data");
        await PassAsync(guard, TarBytes.Of(TarBytes.Dir("data/"), TarBytes.Dir("data/dir/"), TarBytes.Symlink("data/dir/escape", "/etc")));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(guard, TarBytes.Mixed(
            PaxRecord("GNU.dumpdir", "Dmoved\0Rdata/dir\0Tdata/moved\0\0"), TarBytes.Member('5', "data/"),
            TarBytes.File("data/moved/escape/pwned"))));

        Assert.Contains("through the symbolic link 'data/moved/escape'", e.Message);
    }

    [Fact]
    public async Task A_hard_link_to_a_symbolic_link_is_a_symbolic_link_too()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(new TarGuard("data"), TarBytes.Of(TarBytes.Dir("data/"),
            TarBytes.Symlink("data/a", "/etc"), TarBytes.HardLink("data/b", "data/a"), TarBytes.File("data/b/pwned"))));

        Assert.Contains("through the symbolic link 'data/b'", e.Message);
    }

    [Fact]
    public async Task Names_that_differ_only_in_bytes_that_are_not_utf8_stay_distinct()
    {
        // "\xff" and "\xfe" both decode to U+FFFD as UTF-8; as raw names they are different entries.
        var guard = new TarGuard("data");
        await PassAsync(guard, TarBytes.Mixed(TarBytes.Dir("data/"), TarBytes.Member('2', "data/\xff", link: "/etc")));

        await PassAsync(guard, TarBytes.Mixed(TarBytes.Member('0', "data/\xfe/ok", "fine")));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PassAsync(guard, TarBytes.Mixed(TarBytes.Member('0', "data/\xff/pwned", "no"))));
        Assert.Contains("through the symbolic link 'data/\ufffd'", e.Message);
    }

    [Fact]
    public async Task Pax_records_with_binary_values_holding_newlines_are_read_by_their_length()
    {
        var value = "a\nb\0c";
        var record = $" SCHILY.xattr.user.bin={value}\n";
        var length = record.Length + 2;
        var pax = $"{length}{record}";
        Assert.Equal(length, System.Text.Encoding.UTF8.GetByteCount(pax));

        await PassAsync(new TarGuard("data"), TarBytes.Mixed(TarBytes.Dir("data/"), TarBytes.Member('x', "PaxHeaders/f", pax), TarBytes.File("data/f")));
    }
}
