using System.Security.Cryptography;
using Backup.Core.Catalog;
using Backup.Core.Compression;
using Backup.Core.Encryption;
using Backup.Core.Restore;
using Backup.Tests.Fakes;

namespace Backup.Tests.Restore;

/// <summary>Puts artifacts and their manifests into an in-memory destination the way a run would (xor "compression").</summary>
public sealed class ArtifactStore(InMemoryDestination destination)
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 2, 0, 0, TimeSpan.Zero);

    public InMemoryDestination Destination { get; } = destination;

    /// <summary>Codecs for what this store writes; <c>gpg</c> maps to an encryptor that cannot decrypt.</summary>
    public static ArtifactCodecs Codecs { get; } = new(
        name => name == "xor" ? new XorCompressor() : throw new InvalidOperationException($"no compressor {name}"),
        name => name == "gpg" ? new UndecryptableEncryptor() : new PlainEncryptor());

    public Manifest Put(string source, string item, DateTimeOffset created, byte[] raw,
        string content = "sql", ChainInfo? chain = null, string encryption = "none")
    {
        var stored = XorCompressor.Apply(raw);
        var key = ArtifactNaming.ArtifactKey(source, item, created, chain, $".{content}.xor" + (encryption == "none" ? "" : ".gpg"));
        var manifest = new Manifest
        {
            ToolVersion = "test",
            Source = source,
            SourceKind = content == "sql" ? "mysqldump" : "directories",
            Item = item,
            Key = key,
            Kind = chain is null || chain.Level == 0 ? "full" : "incremental",
            Created = created,
            Content = content,
            Compression = "xor",
            Encryption = encryption,
            StoredSize = stored.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(stored)),
            RawSize = raw.Length,
            Chain = chain,
        };
        Write(key, stored);
        Write(Manifest.KeyFor(key), manifest.ToJson());
        return manifest;
    }

    public static byte[] Dump(string body) =>
        System.Text.Encoding.UTF8.GetBytes($"-- MariaDB dump\n{body}\n-- Dump completed on 2025-03-01  2:00:00\n");

    public void Write(string key, byte[] bytes) =>
        Destination.UploadAsync(key, new MemoryStream(bytes), CancellationToken.None).GetAwaiter().GetResult();

    public void FlipByte(string key, int offset)
    {
        var bytes = Destination.Objects[key].ToArray();
        bytes[offset] ^= 0x01;
        Write(key, bytes);
    }

    /// <summary>Stands in for gpg failing on a bad key or tampered data.</summary>
    private sealed class UndecryptableEncryptor : IEncryptor
    {
        public string Extension => ".gpg";
        public Task<EncryptionPreflight> PreflightAsync(CancellationToken ct) => Task.FromResult(EncryptionPreflight.None);
        public Task EncryptAsync(Stream input, Stream output, CancellationToken ct) => input.CopyToAsync(output, ct);

        public async Task DecryptAsync(Stream input, Stream output, CancellationToken ct)
        {
            await input.ReadAtLeastAsync(new byte[10], 1, throwOnEndOfStream: false, ct);
            throw new IOException("gpg: decryption failed: No secret key");
        }
    }
}
