using System.Text;

namespace Backup.Core.Restore;

/// <summary>
/// A pass-through for a tar stream that checks every header before handing it on, so tar never sees
/// an entry that could write outside the restore target: an absolute name, a <c>..</c> component, a
/// name outside the archived directory, a path through a symbolic link (made earlier in this archive
/// or by an earlier link of the chain), or such names in GNU incremental rename records. It also
/// proves the archive is whole: every header checksums and the end-of-archive marker is reached.
/// </summary>
internal sealed class TarGuard(string? top, ISet<string> symlinks)
{
    private const int Chunk = 1 << 16;

    public long Entries { get; private set; }

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/>; throws <see cref="InvalidDataException"/> at the first bad entry.</summary>
    public async Task CopyAsync(Stream input, Stream output, CancellationToken ct)
    {
        var reader = new BufferedStream(input, Chunk);
        await using var writer = new BufferedStream(output, Chunk);
        var block = new byte[TarHeader.Block];
        string? longName = null, longLink = null, paxPath = null, paxLink = null;

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
                    else (paxPath, paxLink) = Pax(data.AsSpan(0, (int)header.Size), paxPath, paxLink);
                    continue;
                case 'N':
                    throw new InvalidDataException("the tar archive uses obsolete GNU long-name records; refusing to extract it");
            }

            var name = paxPath ?? longName ?? header.Name;
            var link = paxLink ?? longLink ?? header.LinkName;
            longName = longLink = paxPath = paxLink = null;
            Entries++;

            var path = Check(name, "name");
            switch (header.Type)
            {
                case '2':
                    symlinks.Add(path);
                    break;
                case '1':
                    CheckNotThroughLink(Check(link, "hard link target"), name, alsoSelf: false);
                    break;
                case '5' or 'D':
                    CheckNotThroughLink(path, name, alsoSelf: true);
                    break;
                default:
                    // A file replaces a symbolic link of an earlier link of the chain (tar unlinks it).
                    symlinks.Remove(path);
                    break;
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
        if (top is not null && (parts.Count == 0 || parts[0] != top))
            throw Unsafe(name, $"{what} is outside the archived directory '{top}/'");
        var path = string.Join('/', parts);
        CheckNotThroughLink(path, name, alsoSelf: false);
        return path;
    }

    private void CheckNotThroughLink(string path, string name, bool alsoSelf)
    {
        if (alsoSelf && symlinks.Contains(path))
            throw Unsafe(name, $"directory '{path}' is a symbolic link in the restored tree");
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            if (symlinks.Contains(path[..slash]))
                throw Unsafe(name, $"it would be written through the symbolic link '{path[..slash]}'");
    }

    /// <summary>
    /// GNU incremental directory records: one NUL-terminated name per member, prefixed by a letter;
    /// <c>R</c>/<c>T</c> name a directory rename (whole paths), which tar applies on extraction.
    /// </summary>
    private void CheckDumpDir(ReadOnlySpan<byte> data, string directory)
    {
        foreach (var record in Encoding.UTF8.GetString(data).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var member = record[1..];
            switch (record[0])
            {
                case 'R' or 'T' or 'X':
                    if (member.Length > 0)
                        CheckNotThroughLink(Check(member, "incremental rename record"), member, alsoSelf: true);
                    break;
                default:
                    if (member.Contains('/') || member is ".." or ".")
                        throw Unsafe($"{directory}/{member}", "an incremental directory record names a path, not a member");
                    break;
            }
        }
    }

    private static (string?, string?) Pax(ReadOnlySpan<byte> data, string? path, string? link)
    {
        // Records are "LENGTH key=value\n"; only the names matter here.
        foreach (var record in Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = record.IndexOf(' ');
            var equals = record.IndexOf('=');
            if (space < 0 || equals < space)
                throw new InvalidDataException("the tar archive has a malformed pax header");
            var key = record[(space + 1)..equals];
            var value = record[(equals + 1)..];
            if (key == "path") path = value;
            else if (key == "linkpath") link = value;
        }

        return (path, link);
    }

    private static InvalidDataException Unsafe(string name, string why) =>
        new($"unsafe tar entry '{name}': {why}; refusing to restore this archive");

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
