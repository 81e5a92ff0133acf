using Backup.Core.Compression;
using Backup.Core.Encryption;

namespace Backup.Core.Restore;

/// <summary>
/// How to undo what a manifest says was applied: its <c>compression</c> name (gzip, bzip2, zstd) and its
/// <c>encryption</c> name (gpg) to the implementations. <c>none</c> is never asked for.
/// </summary>
public sealed record ArtifactCodecs(Func<string, ICompressor> CompressorFor, Func<string, IEncryptor> EncryptorFor);
