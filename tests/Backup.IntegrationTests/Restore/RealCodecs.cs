using Backup.Core.Compression;
using Backup.Core.Encryption;
using Backup.Core.Restore;

namespace Backup.IntegrationTests.Restore;

/// <summary>The real compressors by name, and no encryption: what the restore specs without gpg read with.</summary>
public static class RealCodecs
{
    public static ArtifactCodecs Unencrypted { get; } = new(Compressors.ForName, _ => new NoEncryption());
}
