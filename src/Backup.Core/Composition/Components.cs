using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Logging;
using Backup.Core.Sources;

namespace Backup.Core.Composition;

/// <summary>
/// The registration of every real component: adding a destination kind is one class plus one line here
/// (and its config record and schema). Source kinds register in <see cref="SourceKinds"/>. No reflection scanning.
/// </summary>
/// <param name="time">The clock sources judge time by (a directory source's <c>full_every</c>); the system's unless a spec passes one.</param>
public sealed class Components(IEventLog log, TimeProvider? time = null) : IComponents
{
    public ISource Source(SourceConfig config) =>
        SourceKinds.Of(config).Create(config, new SourceServices(log, time ?? TimeProvider.System));

    public ICompressor Compressor(SourceConfig config) => Compressors.For(config.Compress, config.CompressLevel);

    public IEncryptor Encryptor(EncryptionConfig? config) => Encryptors.For(config, log);

    public IDestination Destination(DestinationConfig config) => config switch
    {
        S3DestinationConfig s3 => new S3Destination(s3, log),
        LocalDestinationConfig local => new LocalDestination(local.Name, local.Path),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "no destination registered for this method"),
    };

    public IDestination LocalDirectory(string name, string path) => new LocalDestination(name, path, where: name);
}
