using Backup.Core.Composition;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Restore;
using Backup.Core.Sources;
using Backup.Core.Sources.Directories;

namespace Backup.IntegrationTests.Restore;

/// <summary>The real directory source, gzip, no encryption, and one folder destination.</summary>
public sealed class DirectoryComponents(FolderDestination store) : IComponents
{
    public static ArtifactCodecs Codecs { get; } = new(
        name => name == "gzip" ? new GzipTestCompressor() : throw new InvalidOperationException(name),
        _ => new NoEncryption());

    public ISource Source(SourceConfig config) => new DirectorySource((DirectorySourceConfig)config, IEventLog.Null);

    public ICompressor Compressor(SourceConfig config) => new GzipTestCompressor();

    public IEncryptor Encryptor(EncryptionConfig? config) => new NoEncryption();

    public IDestination Destination(DestinationConfig config) => store;

    public IDestination LocalDirectory(string name, string path) => new FolderDestination(name, path);
}
