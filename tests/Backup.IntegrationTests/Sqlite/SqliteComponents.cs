using Backup.Core.Composition;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Sources;
using Backup.Core.Sources.Sqlite;

namespace Backup.IntegrationTests.Sqlite;

/// <summary>
/// The real components, except that sqlite sources without <c>temp</c> make their private copy folders in
/// <paramref name="systemTemp"/> instead of the system's temp folder, so that a spec sees what is left there.
/// </summary>
public sealed class SqliteComponents(IEventLog log, string systemTemp) : IComponents
{
    private readonly Components _real = new(log);

    public ISource Source(SourceConfig config) =>
        config is SqliteSourceConfig sqlite ? new SqliteSource(sqlite, log, new CopyFolder(sqlite.Temp, systemTemp)) : _real.Source(config);

    public ICompressor Compressor(SourceConfig config) => _real.Compressor(config);

    public IEncryptor Encryptor(EncryptionConfig? config) => _real.Encryptor(config);

    public IDestination Destination(DestinationConfig config) => _real.Destination(config);

    public IDestination LocalDirectory(string name, string path) => _real.LocalDirectory(name, path);
}
