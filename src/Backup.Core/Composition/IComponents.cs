using Backup.Core.Compression;
using Backup.Core.Configuration;
using Backup.Core.Destinations;
using Backup.Core.Encryption;
using Backup.Core.Sources;

namespace Backup.Core.Composition;

/// <summary>
/// Turns config entries into working parts. <see cref="Components"/> is the real registration (one
/// line per kind); specs pass fakes through the same seam.
/// </summary>
public interface IComponents
{
    ISource Source(SourceConfig config);

    ICompressor Compressor(SourceConfig config);

    IEncryptor Encryptor(EncryptionConfig? config);

    IDestination Destination(DestinationConfig config);

    /// <summary>A plain directory used as a destination: a source's <c>temp</c> for local copies.</summary>
    /// <summary>A local folder that is no configured destination (a source's <c>temp</c>); <paramref name="name"/> is its YAML path.</summary>
    IDestination LocalDirectory(string name, string path);
}
