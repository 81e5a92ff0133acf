using System.Text;
using Backup.Core.Catalog;

namespace Backup.Core.Sources.Directories.Restore;

/// <summary>
/// A pass-through for a tar stream that checks every header before handing it on, so tar never sees
/// an entry that could write outside the restore target: an absolute name, a <c>..</c> component, a
/// name outside the archived directory, a path through a symbolic link (made earlier in this archive
/// or by an earlier link of the chain), or such names in GNU incremental rename records. It also
/// proves the archive is whole: every header checksums and the end-of-archive marker is reached.
/// </summary>
/// <remarks>
/// Safety is decided from the headers alone, never by looking at (or walking) the extracted tree:
/// one guard is used for every link of a chain, in order, and keeps the set of paths the archives
/// made symbolic links, updated as later entries replace, rename or re-create them. Names are kept
/// raw (one char per byte, <see cref="TarHeader.Text"/>), so names that are not UTF-8 compare exactly.
/// A directory entry where the set has a link is allowed: GNU tar (without <c>--keep-directory-symlink</c>,
/// which is never passed) removes the link and makes a real directory, it does not write through it.
/// </remarks>
internal sealed class TarGuard
{
    private const int Chunk = 1 << 16;

    // The unnamed temporary directory of GNU incremental rename records; NUL is never part of a name.
    private const string RenameTemporary = "\0temporary";

    private readonly HashSet<string> _symlinks = new(StringComparer.Ordinal);
    private string? _top;

    /// <param name="top">
    /// The archive's top directory as the manifest records it: every entry must be it or below it;
    /// <c>"."</c> for an archive of <c>/</c> (entries <c>./...</c>); null to take it from the first
    /// entry (manifests written before the top was recorded).
    /// </param>
    public TarGuard(string? top) => _top = top is null or "." ? top : TarHeader.Raw(top);

    /// <summary>
    /// Called with a raw path before tar gets a directory rename onto a name that an earlier link made
    /// a symbolic link. GNU tar's rename(2) of a directory onto a link fails ("Not a directory"), which
    /// makes a point unrestorable, with this tool or with tar alone, whenever a link was deleted and a
    /// directory renamed to its name between two runs (or a new directory got a deleted one's inode,
    /// which tar takes for a rename). The restorer removes the link first; the verifier passes none.
    /// </summary>
    public Action<string>? BeforeRenameOntoLink { get; init; }

    /// <summary>
    /// The guard for an archive described by <paramref name="manifest"/>: its recorded top, or for a
    /// manifest from before the top was recorded, the item name — except "root", which then meant
    /// either a directory of that name or <c>/</c> (archived as <c>.</c>), so the first entry decides.
    /// </summary>
    public static TarGuard For(Manifest manifest, Action<string>? beforeRenameOntoLink = null) =>
        new(manifest.ArchiveTop ?? (manifest.Item == "root" ? null : manifest.Item)) { BeforeRenameOntoLink = beforeRenameOntoLink };

    /// <summary>Entries passed so far, over every archive this guard has checked.</summary>
    public long Entries { get; private set; }

    /// <summary>The archive's top directory as a raw name (<c>"."</c> for the whole tree); null before the first entry of a legacy archive.</summary>
    public string? Top => _top;

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/>; throws <see cref="InvalidDataException"/> at the first bad entry.</summary>
    public async Task CopyAsync(Stream input, Stream output, CancellationToken ct)
    {
        var reader = new BufferedStream(input, Chunk);
        await using var writer = new BufferedStream(output, Chunk);
        var block = new byte[TarHeader.Block];
        string? longName = null, longLink = null, paxPath = null, paxLink = null;
        byte[]? paxDumpDir = null;

        while (true)
        {
            if (!await ReadBlockAsync(reader, block, ct))
                throw new InvalidDataException("the tar archive ends before its end-of-archive marker (truncated)");
            if (TarHeader.IsZero(block))
            {
                await writer.WriteAsync(block, ct);
                // Whatever follows the marker is padding; tar reads it, nothing is extracted from it.
                await reader.CopyToAsync(writer, ct);
                await writer.FlushAsync(ct);
                return;
            }

            var header = TarHeader.Parse(block);
            switch (header.Type)
            {
                case 'L' or 'K' or 'x':
                    var data = await ReadSmallDataAsync(reader, header, ct);
                    await writer.WriteAsync(block, ct);
                    await writer.WriteAsync(data, ct);
                    var text = TarHeader.Text(data.AsSpan(0, (int)header.Size));
                    if (header.Type == 'L') longName = text;
                    else if (header.Type == 'K') longLink = text;
                    else (paxPath, paxLink, paxDumpDir) = Pax(data.AsSpan(0, (int)header.Size), paxPath, paxLink, paxDumpDir);
                    continue;
                case 'N':
                    throw new InvalidDataException("the tar archive uses obsolete GNU long-name records; refusing to extract it");
            }

            var name = paxPath ?? longName ?? header.Name;
            var link = paxLink ?? longLink ?? header.LinkName;
            var dumpDir = paxDumpDir;
            longName = longLink = paxPath = paxLink = null;
            paxDumpDir = null;
            Entries++;

            var path = Check(name, "name");
            var isDirectory = header.Type is '5' or 'D';
            if (path == _top && !isDirectory)
                throw Unsafe(name, $"the archive's top '{TarHeader.Display(path)}' is not a directory (type '{header.Type}')");
            switch (header.Type)
            {
                case '2':
                    _symlinks.Add(path);
                    break;
                case '1':
                    var target = Check(link, "hard link target");
                    // A hard link to a symbolic link is another symbolic link (link(2) does not follow it).
                    if (_symlinks.Contains(target)) _symlinks.Add(path);
                    else _symlinks.Remove(path);
                    break;
                default:
                    // A directory, file or device replaces a symbolic link of an earlier link of the chain:
                    // tar unlinks the link first.
                    _symlinks.Remove(path);
                    break;
            }

            // In POSIX (pax) archives, which GNU tar writes whenever xattrs or ACLs are kept, the
            // incremental directory records come as a GNU.dumpdir pax record before a directory entry.
            if (dumpDir is not null)
            {
                if (!isDirectory)
                    throw Unsafe(name, "incremental directory records belong to a directory, not to this entry");
                CheckDumpDir(dumpDir, name);
            }

            await writer.WriteAsync(block, ct);
            if (header.Type == 'D')
            {
                var dumpdir = await ReadSmallDataAsync(reader, header, ct);
                CheckDumpDir(dumpdir.AsSpan(0, (int)header.Size), name);
                await writer.WriteAsync(dumpdir, ct);
                continue;
            }

            var extension = header.SparseExtended;
            while (extension)
            {
                // Old GNU sparse files continue their map in extra header blocks.
                if (!await ReadBlockAsync(reader, block, ct))
                    throw new InvalidDataException("the tar archive is truncated in a sparse file map");
                await writer.WriteAsync(block, ct);
                extension = block[504] != 0;
            }

            await CopyDataAsync(reader, writer, header.PaddedSize, ct);
        }
    }

    /// <summary>Normalises a member name and refuses the ones that could land outside the target.</summary>
    private string Check(string name, string what)
    {
        if (name.StartsWith('/'))
            throw Unsafe(name, $"{what} is an absolute path");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw Unsafe(name, $"{what} has a '..' component");
        // An archive made before the manifest recorded its top: its first entry is the top directory.
        _top ??= parts.Count == 0 ? "." : parts[0];
        if (_top != "." && (parts.Count == 0 || parts[0] != _top))
            throw Unsafe(name, $"{what} is outside the archived directory '{TarHeader.Display(_top)}/'");
        var path = string.Join('/', parts);
        CheckNotThroughLink(path, name);
        return path;
    }

    private void CheckNotThroughLink(string path, string name)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            if (_symlinks.Contains(path[..slash]))
                throw Unsafe(name, $"it would be written through the symbolic link '{TarHeader.Display(path[..slash])}'");
    }

    /// <summary>
    /// GNU incremental directory records: one NUL-terminated name per member, prefixed by a letter.
    /// <c>R</c>/<c>T</c> pairs name a directory rename (whole paths; an empty name is tar's temporary
    /// directory, made under the <c>X</c> record's path), which tar applies on extraction: the symbolic
    /// links known below the old name move with it.
    /// </summary>
    private void CheckDumpDir(ReadOnlySpan<byte> data, string directory)
    {
        string? renamedFrom = null;
        foreach (var record in Encoding.Latin1.GetString(data).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var member = record[1..];
            switch (record[0])
            {
                case 'X':
                    Check(member, "incremental temporary directory");
                    break;
                case 'R':
                    renamedFrom = member.Length == 0 ? RenameTemporary : Check(member, "incremental rename record");
                    break;
                case 'T':
                    var renamedTo = member.Length == 0 ? RenameTemporary : Check(member, "incremental rename record");
                    if (renamedFrom is null)
                        throw Unsafe(TarHeader.Display(directory), "an incremental rename record has no source");
                    Rename(renamedFrom, renamedTo);
                    renamedFrom = null;
                    break;
                default:
                    if (member.Contains('/') || member is ".." or ".")
                        throw Unsafe($"{directory}/{member}", "an incremental directory record names a path, not a member");
                    break;
            }
        }
    }

    private void Rename(string from, string to)
    {
        var moved = _symlinks.Where(p => p == from || p.StartsWith(from + "/", StringComparison.Ordinal)).ToList();
        if (_symlinks.Contains(to) && to != RenameTemporary)
            BeforeRenameOntoLink?.Invoke(to);
        _symlinks.Remove(to);
        foreach (var old in moved)
        {
            _symlinks.Remove(old);
            _symlinks.Add(to + old[from.Length..]);
        }
    }

    private static (string?, string?, byte[]?) Pax(ReadOnlySpan<byte> data, string? path, string? link, byte[]? dumpDir)
    {
        // Records are "LENGTH key=value\n", LENGTH counting the whole record in bytes. Values may be
        // binary (xattrs, ACLs) and hold newlines, so records are cut by their length, never by '\n'.
        while (data.Length > 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], System.Globalization.NumberStyles.None, null, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
                throw new InvalidDataException("the tar archive has a malformed pax header");
            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals < 0)
                throw new InvalidDataException("the tar archive has a malformed pax header");
            // Only the names matter here (kept raw, like header names).
            var key = record[..equals];
            if (key.SequenceEqual("path"u8)) path = Encoding.Latin1.GetString(record[(equals + 1)..]);
            else if (key.SequenceEqual("linkpath"u8)) link = Encoding.Latin1.GetString(record[(equals + 1)..]);
            else if (key.SequenceEqual("GNU.dumpdir"u8)) dumpDir = record[(equals + 1)..].ToArray();
            data = data[length..];
        }

        return (path, link, dumpDir);
    }

    private static InvalidDataException Unsafe(string name, string why) =>
        new($"unsafe tar entry '{TarHeader.Display(name)}': {why}; refusing to restore this archive");

    private static async Task<byte[]> ReadSmallDataAsync(Stream reader, TarHeader header, CancellationToken ct)
    {
        if (header.Size > 16 << 20)
            throw new InvalidDataException($"a tar metadata record of {header.Size} bytes is implausibly large");
        var data = new byte[header.PaddedSize];
        try
        {
            await reader.ReadExactlyAsync(data, ct);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the tar archive is truncated inside a header record");
        }

        return data;
    }

    private static async Task CopyDataAsync(Stream reader, Stream writer, long length, CancellationToken ct)
    {
        var buffer = new byte[Chunk];
        while (length > 0)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), ct);
            if (n == 0)
                throw new InvalidDataException("the tar archive is truncated inside a file's data");
            await writer.WriteAsync(buffer.AsMemory(0, n), ct);
            length -= n;
        }
    }

    private static async Task<bool> ReadBlockAsync(Stream reader, byte[] block, CancellationToken ct)
    {
        var read = await reader.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, ct);
        if (read is > 0 and < TarHeader.Block)
            throw new InvalidDataException("the tar archive is truncated inside a header");
        return read == TarHeader.Block;
    }
}
