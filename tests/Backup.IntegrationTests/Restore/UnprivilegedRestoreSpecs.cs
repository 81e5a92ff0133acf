using Backup.IntegrationTests.Support;

namespace Backup.IntegrationTests.Restore;

/// <summary>
/// Backup and restore run as an unprivileged user with umask 077, through the real program: modes come
/// back as archived (not cut by the umask), setuid included; a read-only directory that a later link
/// of the chain changes still restores; an unwritable target is a clear error, not a crash.
/// </summary>
public sealed class UnprivilegedRestoreSpecs : IDisposable
{
    private readonly TempDir _dir = new("unprivileged");
    private readonly Unprivileged _user = new();
    private readonly string _data;
    private readonly string _config;

    public UnprivilegedRestoreSpecs()
    {
        _data = _dir.Combine("live", "data");
        Tools.Sh($"mkdir -p '{_data}/ro' '{_dir.Path}/store' '{_dir.Path}/state' '{_dir.Path}/home'"
                 + $" && printf shared > '{_data}/shared.txt' && chmod 666 '{_data}/shared.txt'"
                 + $" && printf '#!/bin/sh' > '{_data}/tool' && chmod 4755 '{_data}/tool'"
                 + $" && printf frozen > '{_data}/ro/inside.txt' && chmod 444 '{_data}/ro/inside.txt' && chmod 555 '{_data}/ro'");
        _config = _dir.Write("home/backup.yaml", $"""
            sources:
              directories:
                home:
                  path: {_data}
                  incremental: true
                  incremental_snapshot: {_dir.Combine("state", "data.snar")}
                  compress: gzip
                  destination: store
            destinations:
              store:
                method: local
                path: {_dir.Combine("store")}
            """);
        Unprivileged.Own(_dir.Path);
        // After the chown, which clears setuid bits.
        Tools.Sh($"chmod 4755 '{_data}/tool'");
    }

    public void Dispose()
    {
        _user.Dispose();
        _dir.Dispose();
    }

    private async Task BackUpAsync(int run)
    {
        var result = await _user.RunAsync(_dir.Combine("home"), "run", "--config", _config);
        Assert.True(result.ExitCode == 0, $"backup run {run} exited {result.ExitCode}: {result.Stderr}");
        Tools.Sh($"cp -a '{_data}' '{_dir.Combine($"expected-{run}")}'");
    }

    [Fact]
    public async Task Modes_setuid_and_read_only_directories_changed_by_a_later_link_come_back_as_archived()
    {
        await BackUpAsync(1);
        // Run 2 changes what the read-only directory holds, so restoring it needs the first link's
        // read-only directory to take the second link's changes.
        Tools.Sh($"chmod 755 '{_data}/ro' && printf added > '{_data}/ro/added.txt' && rm '{_data}/ro/inside.txt' && chmod 555 '{_data}/ro' && chown -R {Unprivileged.Uid}:{Unprivileged.Uid} '{_data}' && chmod 4755 '{_data}/tool'");
        await BackUpAsync(2);
        var target = _dir.Combine("home", "restored");

        var result = await _user.RunAsync(_dir.Combine("home"), "restore", "home", "--to", target, "--config", _config);

        Assert.True(result.ExitCode == 0, $"restore exited {result.ExitCode}: {result.Stderr}");
        await Shell.AssertSameTreeAsync(_dir.Combine("expected-2"), target);
        TreeListing.AssertSame(_dir.Combine("expected-2"), target);
        Assert.Equal("666", Tools.Sh($"stat -c %a '{target}/shared.txt'").Trim());
        Assert.Equal("4755", Tools.Sh($"stat -c %a '{target}/tool'").Trim());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Combine("home")), p => Path.GetFileName(p).Contains(".backup-"));
    }

    [Fact]
    public async Task A_target_in_a_directory_the_user_cannot_write_is_a_clear_error_and_nothing_is_left()
    {
        await BackUpAsync(1);
        var closed = _dir.Combine("closed");
        Tools.Sh($"mkdir '{closed}' && chmod 755 '{closed}'");

        var result = await _user.RunAsync(_dir.Combine("home"), "restore", "home", "--to", Path.Combine(closed, "target"), "--config", _config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("needs write permission in", result.Stderr);
        Assert.DoesNotContain("This is a bug", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(closed));
    }
}
