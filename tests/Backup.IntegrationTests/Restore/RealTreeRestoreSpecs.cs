using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>
/// Round trips through the real source and restore of trees as real machines hold them: copies of
/// system trees and small odd ones, full and with incrementals, compared with the tree as it was at
/// each run by <c>diff -r --no-dereference</c> and by metadata (modes, owners, times, hard links).
/// </summary>
public sealed class RealTreeRestoreSpecs : IDisposable
{
    private readonly TempDir _dir = new("real-trees");
    private readonly string _data;

    public RealTreeRestoreSpecs()
    {
        _data = _dir.Combine("live", "data");
        Directory.CreateDirectory(Path.GetDirectoryName(_data)!);
    }

    public void Dispose() => _dir.Dispose();

    private string Sh(string script) => Tools.Sh(script, _dir.Path);

    [Fact]
    public async Task Copies_of_usr_share_doc_and_etc_with_links_to_directories_restore_at_every_point_of_a_chain()
    {
        // /usr/share/doc has top-level links to directories (libcc1-0 -> gcc-12-base); /etc has links to
        // files and directories, relative and absolute, dangling ones and odd modes. Added: the links
        // of /usr/bin (X11 -> .), a link to /usr, two '..' links and a hard link.
        Sh($"mkdir -p '{_data}' && cp -a /usr/share/doc '{_data}/doc' && cp -a /etc '{_data}/etc'"
           + $" && ln -s . '{_data}/X11' && ln -s /usr '{_data}/usr-link' && ln -s .. '{_data}/doc/up' && ln -s ../.. '{_data}/etc/upup'"
           + $" && ln -s missing '{_data}/dangling' && ln '{_data}/etc/hostname' '{_data}/hardlink-to-hostname' && mkdir '{_data}/empty'"
           + $" && chmod 4755 '{_data}/etc/hostname' && chmod 1777 '{_data}/empty'");
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();

        // Run 2: deletes, a rename of a directory, a directory replaced by a link.
        Sh($"rm -r '{_data}/etc/apt' && mv '{_data}/doc/tar' '{_data}/doc/tar-moved' && echo new > '{_data}/doc/new.txt'"
           + $" && rm -r '{_data}/doc/zstd' && ln -s gzip '{_data}/doc/zstd'");
        await chain.RunAsync();

        // Run 3: a link replaced by a directory. Not in the run that deleted directories: a new
        // directory can get a deleted one's inode, which GNU tar (it knows directories by device and
        // inode) then records as a rename of the old one, and that rename fails on restore when the
        // new name was a link (tar: "Cannot rename ...: Not a directory"). A limit of GNU tar's
        // incremental format, noted in the README.
        var firstDocLink = Sh($"find '{_data}/doc' -maxdepth 1 -type l -xtype d -printf '%f\\n' | head -n 1").Trim();
        Assert.NotEmpty(firstDocLink);
        Sh($"rm '{_data}/doc/{firstDocLink}' && mkdir '{_data}/doc/{firstDocLink}' && echo real > '{_data}/doc/{firstDocLink}/now-a-dir'");
        await chain.RunAsync();

        // Run 4: two directories swapped by renames (GNU tar's temporary-directory case).
        Sh($"mv '{_data}/doc/gzip' '{_data}/doc/swap.tmp' && mv '{_data}/doc/bzip2' '{_data}/doc/gzip' && mv '{_data}/doc/swap.tmp' '{_data}/doc/bzip2'");
        await chain.RunAsync();

        var before = Directory.EnumerateFileSystemEntries(Environment.CurrentDirectory).Count();
        await chain.AssertEveryPointRestoresAsync();

        Assert.Equal(before, Directory.EnumerateFileSystemEntries(Environment.CurrentDirectory).Count());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Path), p => Path.GetFileName(p).Contains(".backup-"));
    }

    [Fact]
    public async Task A_full_archive_of_copies_of_etc_and_the_links_of_usr_bin_restores_exactly()
    {
        // The links of /usr/bin (X11 -> ., and many to files elsewhere), without its 600 MB of programs.
        Sh($"mkdir -p '{_data}/bin' && cp -a /etc '{_data}/etc' && find /usr/bin -maxdepth 1 -type l -exec cp -a {{}} '{_data}/bin/' \\;"
           + $" && mkfifo '{_data}/etc/a-fifo' && mknod '{_data}/etc/a-null' c 1 3");
        var chain = new DirectoryChain(_dir, _data, incremental: false);
        await chain.RunAsync();

        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task A_directory_renamed_onto_the_name_of_a_deleted_link_restores_where_plain_tar_fails()
    {
        _dir.Write("live/data/dir/inside.txt", "moves with its directory");
        _dir.Write("live/data/real/r.txt", "r");
        File.CreateSymbolicLink(Path.Combine(_data, "name"), "real");
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();
        Sh($"rm '{_data}/name' && mv '{_data}/dir' '{_data}/name'");
        await chain.RunAsync();

        // GNU tar alone: rename(2) of the directory onto the restored link fails.
        var plain = _dir.CreateDirectory("plain");
        var links = (await chain.PointAsync(2)).Links.Select(l => Path.Combine(chain.Store.Root, l.ObjectKey)).ToList();
        var tar = await Shell.RunAsync("sh", "-c", $"cd '{plain}' && zstd -dc '{links[0]}' | tar -x --listed-incremental=/dev/null && zstd -dc '{links[1]}' | tar -x --listed-incremental=/dev/null");
        Assert.NotEqual(0, tar.ExitCode);
        Assert.Contains("Not a directory", tar.Output);

        await chain.AssertEveryPointRestoresAsync();
        Assert.Equal("moves with its directory", File.ReadAllText(_dir.Combine("restored-2", "name", "inside.txt")));
    }

    [Fact]
    public async Task Names_that_are_not_utf8_restore_byte_for_byte()
    {
        Sh($"mkdir -p '{_data}/sub' && printf 'bytes' > \"{_data}/$(printf 'bad\\377name')\" && mkdir \"{_data}/sub/$(printf 'dir\\200\\201')\""
           + $" && printf 'deep' > \"{_data}/sub/$(printf 'dir\\200\\201')/$(printf 'f\\376')\" && ln -s \"$(printf 'bad\\377name')\" \"{_data}/$(printf 'link\\377')\"");
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();
        Sh($"printf 'changed' > \"{_data}/$(printf 'bad\\377name')\" && printf 'two' > \"{_data}/sub/$(printf 'new\\377')\"");
        await chain.RunAsync();

        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task A_directory_called_root_keeps_its_entries_inside_it_and_its_manifest_says_so()
    {
        var root = _dir.Combine("live", "root");
        _dir.Write("live/root/.bashrc", "export A=1");
        _dir.Write("live/root/.ssh/authorized_keys", "ssh-ed25519 AAAA");
        var chain = new DirectoryChain(_dir, root, incremental: false);
        var report = await chain.RunAsync();

        var manifest = await chain.ManifestAsync(report.Artifacts[0].Key!);
        Assert.Equal("root", manifest.Item);
        Assert.Equal("root", manifest.ArchiveTop);
        await chain.AssertEveryPointRestoresAsync();
    }

    [Fact]
    public async Task A_sparse_file_comes_back_sparse_and_xattrs_and_acls_come_back()
    {
        Sh($"mkdir -p '{_data}' && truncate -s 512M '{_data}/disk.img' && printf 'end' >> '{_data}/disk.img'"
           + $" && printf 'x' > '{_data}/tagged' && setfattr -n user.origin -v backup-spec '{_data}/tagged'"
           + $" && setfattr -n trusted.note -v root-only '{_data}/tagged' && setfacl -m u:nobody:r '{_data}/tagged'");
        var chain = new DirectoryChain(_dir, _data);
        var report = await chain.RunAsync();
        Assert.True(report.Artifacts[0].StoredSize < 1 << 20, $"a sparse file was stored dense: {report.Artifacts[0].StoredSize} bytes");

        await chain.AssertEveryPointRestoresAsync();

        var restored = _dir.Combine("restored-1");
        var allocatedKiB = long.Parse(Sh($"du -k '{restored}/disk.img' | cut -f1").Trim());
        Assert.True(allocatedKiB < 1024, $"the restored sparse file takes {allocatedKiB} KiB on disk");
        Assert.Contains("user.origin=\"backup-spec\"", Sh($"getfattr -d -m - '{restored}/tagged'"));
        Assert.Contains("trusted.note=\"root-only\"", Sh($"getfattr -d -m - '{restored}/tagged'"));
        Assert.Contains("user:nobody:r--", Sh($"getfacl -p '{restored}/tagged'"));
    }

    [Fact]
    public async Task A_socket_in_the_tree_is_named_in_the_run_report()
    {
        _dir.Write("live/data/file", "x");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_data, "app.sock")));
        var chain = new DirectoryChain(_dir, _data, incremental: false);

        var report = await chain.RunAsync();

        var warning = Assert.Single(report.Artifacts[0].Warnings);
        Assert.Contains("1 socket(s) not archived", warning);
        Assert.Contains("data/app.sock", warning);
    }

    [Fact]
    public async Task A_path_too_long_for_tar_to_extract_is_named_in_the_run_report()
    {
        // 20 nested names of 250 bytes: a file 5,000 bytes deep, which tar archives but cannot extract.
        Sh($"mkdir -p '{_data}' && printf ok > '{_data}/short.txt' && cd '{_data}'"
           + $" && for i in $(seq 20); do mkdir {new string('d', 250)} && cd {new string('d', 250)}; done && printf x > file");
        var chain = new DirectoryChain(_dir, _data, incremental: false);

        // cp cannot copy such a tree either.
        var report = await chain.RunAsync(copyTree: false);

        var warning = Assert.Single(report.Artifacts[0].Warnings);
        Assert.Contains("path(s) of 4096 bytes or more", warning);
        Assert.Contains("\"data/ddd", warning);
        Assert.DoesNotContain("short.txt", warning);
    }

    [Fact]
    public async Task A_source_path_that_is_a_symbolic_link_archives_the_directory_it_points_to()
    {
        _dir.Write("disk1/real-data/file.txt", "on the real disk");
        _dir.Write("disk1/real-data/sub/inner.txt", "inner");
        File.CreateSymbolicLink(_dir.Combine("disk1/real-data/inner-link"), "sub");
        File.CreateSymbolicLink(_data, _dir.Combine("disk1/real-data"));
        var chain = new DirectoryChain(_dir, _data, incremental: false);

        var report = await chain.RunAsync();
        var result = await chain.RestoreAsync(1, _dir.Combine("restored"));

        Assert.StartsWith("home/data/data-", report.Artifacts[0].Key);
        Assert.Equal("on the real disk", File.ReadAllText(Path.Combine(result.Target, "file.txt")));
        Assert.Equal("sub", new FileInfo(Path.Combine(result.Target, "inner-link")).LinkTarget);
        await Shell.AssertSameTreeAsync(_dir.Combine("disk1/real-data"), result.Target);
    }

    [Fact]
    public async Task A_restore_target_that_is_a_symbolic_link_restores_into_the_directory_it_points_to()
    {
        _dir.Write("live/data/file.txt", "content");
        var chain = new DirectoryChain(_dir, _data, incremental: false);
        await chain.RunAsync();
        var real = _dir.CreateDirectory("big-disk/restore");
        var link = _dir.Combine("restore-link");
        File.CreateSymbolicLink(link, real);

        var result = await chain.RestoreAsync(1, link);

        Assert.Equal(real, result.Target);
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal("content", File.ReadAllText(Path.Combine(real, "file.txt")));
    }

    [Fact]
    public async Task Force_replaces_the_old_content_by_renames_and_a_failed_link_leaves_it_exactly_as_it_was()
    {
        _dir.Write("live/data/a.txt", "new a");
        var chain = new DirectoryChain(_dir, _data);
        await chain.RunAsync();
        _dir.Write("live/data/b.txt", "new b");
        await chain.RunAsync();
        var target = _dir.CreateDirectory("target");
        Sh($"printf old > '{target}/old.txt' && mkdir '{target}/old-dir' && printf 'old bytes' > \"{target}/old-dir/$(printf 'x\\377')\"");
        var oldListing = TreeListing.Of(target);

        // The second link damaged: the restore fails after the first link was extracted.
        var point = await chain.PointAsync(2);
        var damaged = chain.Store.Root + "/" + point.Links[1].ObjectKey;
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(damaged, bytes);
        await Assert.ThrowsAsync<Backup.Core.BackupException>(() => chain.RestoreAsync(2, target, force: true));

        Assert.Equal(oldListing, TreeListing.Of(target));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Path), p => Path.GetFileName(p).Contains(".backup-"));

        var result = await chain.RestoreAsync(1, target, force: true);
        Assert.Empty(result.Warnings);
        await Shell.AssertSameTreeAsync(chain.Expected(1), target);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Path), p => Path.GetFileName(p).Contains(".backup-"));
    }

    [Fact]
    public async Task Force_over_an_immutable_file_and_a_mount_point_restores_and_leaves_them_named_never_deleting_the_mount()
    {
        _dir.Write("live/data/new.txt", "the restored tree");
        var chain = new DirectoryChain(_dir, _data, incremental: false);
        await chain.RunAsync();
        var target = _dir.CreateDirectory("target");
        _dir.Write("target/old.txt", "old");
        _dir.Write("target/locked/immutable.txt", "cannot be deleted");
        var mount = _dir.CreateDirectory("target/mounted");
        Sh($"chattr +i '{target}/locked/immutable.txt' && mount -t tmpfs spec-tmpfs '{mount}' && printf 'on another filesystem' > '{mount}/precious.txt'");
        try
        {
            var result = await chain.RestoreAsync(1, target, force: true);

            Assert.Equal(["new.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
            var warning = Assert.Single(result.Warnings);
            var aside = Assert.Single(Directory.EnumerateDirectories(_dir.Path, ".target.backup-replaced-*"));
            Assert.Contains(aside, warning);
            Assert.Equal("cannot be deleted", File.ReadAllText(Path.Combine(aside, "locked", "immutable.txt")));
            Assert.Equal("on another filesystem", File.ReadAllText(Path.Combine(aside, "mounted", "precious.txt")));
        }
        finally
        {
            Sh($"chattr -R -i '{_dir.Path}' 2>/dev/null || true; for m in $(findmnt -rn -o TARGET | grep -F '{_dir.Path}/'); do umount \"$m\"; done");
        }
    }

    [Fact]
    public async Task A_target_that_is_a_mount_point_is_refused_clearly_and_its_content_is_untouched()
    {
        _dir.Write("live/data/new.txt", "the restored tree");
        var chain = new DirectoryChain(_dir, _data, incremental: false);
        await chain.RunAsync();
        var mount = _dir.CreateDirectory("mounted-target");
        Sh($"mount -t tmpfs spec-tmpfs '{mount}' && printf keep > '{mount}/existing.txt'");
        try
        {
            var e = await Assert.ThrowsAsync<Backup.Core.BackupException>(() => chain.RestoreAsync(1, mount, force: true));

            Assert.Contains("mount point", e.Message);
            Assert.Equal(["existing.txt"], Directory.EnumerateFileSystemEntries(mount).Select(Path.GetFileName));
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Path), p => Path.GetFileName(p).Contains(".backup-"));
        }
        finally
        {
            Sh($"umount '{mount}'");
        }
    }

    [Fact]
    public async Task The_top_folder_gets_its_owner_mode_and_mtime_back_even_into_an_existing_empty_target()
    {
        _dir.Write("live/data/file", "x");
        Sh($"chown nobody:nogroup '{_data}' && chmod 2751 '{_data}' && touch -d '2001-02-03 04:05:06 UTC' '{_data}'");
        var chain = new DirectoryChain(_dir, _data, incremental: false);
        await chain.RunAsync();
        var target = _dir.CreateDirectory("empty-target");

        await chain.RestoreAsync(1, target);

        Assert.Equal("2751 nobody 981173106", Sh($"stat -c '%a %U %Y' '{target}'").Trim());
        TreeListing.AssertSame(chain.Expected(1), target);
    }
}
