using Backup.Core.Configuration.Loading;

namespace Backup.Core.Configuration;

/// <summary>
/// Reads and validates the YAML config. Either returns a config every later stage can trust, or throws
/// a <see cref="ConfigException"/> listing every problem at once, each with its YAML path and line.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; <c>${VAR}</c> comes from the process environment.</summary>
    /// <param name="checks">Which local paths must exist with the right permissions (see <see cref="LocalPathChecks"/>).</param>
    /// <param name="ct">Cancels waiting for the text (a FIFO or terminal given as the config may never send it).</param>
    public static BackupConfig Load(string path, LocalPathChecks checks = LocalPathChecks.Run, CancellationToken ct = default)
    {
        string text;
        try
        {
            text = Directory.Exists(path)
                ? throw new IOException("it is a directory")
                : ReadBounded(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            throw new ConfigException(path, [new ConfigError("(file)", null, $"cannot read the config file: {why}; pass the right path with --config")]);
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, path, baseDirectory, Environment.GetEnvironmentVariable, checks);
    }

    /// <summary>The file's text, refusing one larger than <see cref="ConfigLimits.MaxBytes"/> before reading more of it.</summary>
    private static string ReadBounded(string path, CancellationToken ct)
    {
        // On a thread of its own: a read from a FIFO blocks until its writer writes, and an interrupt
        // (SIGTERM) must end the wait at once, not after the grace period of a run that never began.
        var read = Task.Run(() => ReadBoundedNow(path), CancellationToken.None);
        try
        {
            read.Wait(ct);
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
        }

        return read.Result;
    }

    private static string ReadBoundedNow(string path)
    {
        using var file = new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var buffer = new byte[ConfigLimits.MaxBytes + 1];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > ConfigLimits.MaxBytes)
            throw new IOException($"it is larger than {ConfigLimits.MaxBytes / 1024} KiB, which no config needs");
        return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer, 0, read).TrimStart('\uFEFF');
    }

    /// <summary>Validates config text; relative <c>*_file</c> paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static BackupConfig Parse(
        string yamlText,
        string fileName,
        string baseDirectory,
        Func<string, string?> getEnvironmentVariable,
        LocalPathChecks checks = LocalPathChecks.Run)
    {
        var errors = new ErrorList();
        var root = YamlDocumentReader.Read(yamlText, errors);
        if (root is null || errors.Any)
        {
            throw new ConfigException(fileName, errors.Sorted());
        }

        var context = new LoadContext(errors, getEnvironmentVariable, baseDirectory, checks);
        var config = new ConfigReader(context).Read(root);
        if (errors.Any)
        {
            throw new ConfigException(fileName, errors.Sorted(context.SecretValues));
        }

        return config;
    }
}
