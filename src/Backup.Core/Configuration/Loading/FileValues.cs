namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Values that may be given inline or through a file (<c>password</c> / <c>password_file</c>,
/// <c>public_key</c> / <c>public_key_file</c>). Errors name the key and the file, never the content.
/// </summary>
internal static class FileValues
{
    /// <summary>
    /// The file variants a secret key accepts: <c>password_file</c> for lower-case keys, and both
    /// <c>KEY_FILE</c> and <c>KEY_file</c> for the seed's upper-case AWS keys.
    /// </summary>
    public static IReadOnlyList<string> FileKeysFor(string key) =>
        key.Any(char.IsAsciiLetterLower) ? [key + "_file"] : [key + "_FILE", key + "_file"];

    /// <summary>A secret from <paramref name="key"/> or one of its file variants; null when none is set.</summary>
    public static Secret? ReadSecret(MappingReader map, string key)
    {
        var text = Read(map, key, FileKeysFor(key), secret: true);
        return text is null ? null : new Secret(text);
    }

    /// <summary>The inline value or the content of its file variant; null when none is set or on error.</summary>
    public static string? Read(MappingReader map, string key, IReadOnlyList<string> fileKeys, bool secret)
    {
        var present = new[] { key }.Concat(fileKeys).Where(map.Has).ToList();
        if (present.Count > 1)
        {
            if (secret && present.Contains(key))
            {
                // Not used, but known: a message elsewhere must not echo it.
                map.String(key, secret: true);
            }

            map.Errors.Add(map.PathOf(present[1]), map.LineOf(present[1]),
                $"set only one of {string.Join(" or ", present.Select(k => $"`{k}`"))}");
            return null;
        }

        if (present.Count == 0)
        {
            return null;
        }

        var chosen = present[0];
        if (chosen == key)
        {
            // Inline secrets may legitimately be empty (e.g. a MySQL user without a password).
            return map.Find(key) is null ? null : map.String(key, secret) ?? "";
        }

        var file = map.String(chosen);
        var content = file is null ? null : ReadFile(map, chosen, map.Context.ResolveFile(file));
        if (secret && content is not null)
        {
            map.Context.SecretValues.Add(content);
        }

        return content;
    }

    private static string? ReadFile(MappingReader map, string fileKey, string fullPath)
    {
        string? problem;
        try
        {
            var content = File.ReadAllText(fullPath);
            return TrimOneNewline(content);
        }
        catch (FileNotFoundException)
        {
            problem = "the file does not exist";
        }
        catch (DirectoryNotFoundException)
        {
            problem = "its directory does not exist";
        }
        catch (UnauthorizedAccessException)
        {
            problem = Directory.Exists(fullPath) ? "it is a directory, not a file" : "permission denied";
        }
        catch (IOException e)
        {
            // IOException messages name the path and the OS error, not the file's content.
            problem = e.Message;
        }

        map.Errors.Add(map.PathOf(fileKey), map.LineOf(fileKey),
            $"cannot read '{fullPath}': {problem}; fix the path or the file's permissions");
        return null;
    }

    /// <summary><c>echo secret &gt; file</c> adds one newline that is not part of the secret.</summary>
    private static string TrimOneNewline(string content) =>
        content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2]
        : content.EndsWith('\n') ? content[..^1]
        : content;
}
