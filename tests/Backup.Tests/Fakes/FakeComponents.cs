using Backup.Core.Composition;
using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Sources;

namespace Backup.Tests.Fakes;

/// <summary>Wires a runner to in-memory parts: sources by name, destinations by name.</summary>
public sealed class FakeComponents : IComponents
{
    public Dictionary<string, ISource> Sources { get; } = new();

    public Dictionary<string, InMemoryDestination> Destinations { get; } = new();

    public ISource Source(SourceConfig config) => Sources[config.Name];

    public ICompressor Compressor(SourceConfig config) => new XorCompressor();

    public IEncryptor Encryptor(EncryptionConfig? config) => new PlainEncryptor();

    public IDestination Destination(DestinationConfig config) => Destinations[config.Name];

    public IDestination LocalDirectory(string name, string path) => Destination(new LocalDestinationConfig { Name = path, Path = path });
}
