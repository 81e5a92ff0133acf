using Backup.Core.Encryption;

namespace Backup.Core.Configuration.Loading;

/// <summary><c>encryptions</c>: gpg recipients, optionally with the public key to import.</summary>
internal static class EncryptionsReader
{
    private const string ArmorHeader = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

    public static Dictionary<string, EncryptionConfig> Read(MappingReader? section)
    {
        var result = new Dictionary<string, EncryptionConfig>(StringComparer.Ordinal);
        if (section is null)
        {
            return result;
        }

        foreach (var (name, map) in section.NamedMappings())
        {
            if (ReadOne(name, map) is { } encryption)
            {
                result.Add(name, encryption);
            }
        }

        return result;
    }

    private static EncryptionConfig? ReadOne(string name, MappingReader map)
    {
        map.AllowOnly(KeySchema.Gpg);
        var errorsBefore = map.Errors.Count;
        var method = map.RequiredString("method", "gpg");
        if (method is not null && !KeySchema.EncryptionMethods.Contains(method))
        {
            map.Errors.Add(map.PathOf("method"), map.LineOf("method"),
                $"unknown method '{method}': use gpg" + DidYouMean.Suffix(method, KeySchema.EncryptionMethods));
        }

        var recipient = map.RequiredString("recipient", "the e-mail, fingerprint or long key id of the key to encrypt to");
        if (recipient is not null && GpgRecipientForm.Parse(recipient, out var formError) is null)
        {
            map.Errors.Add(map.PathOf("recipient"), map.LineOf("recipient"), formError);
        }

        var publicKey = FileValues.Read(map, "public_key", ["public_key_file"], secret: false);
        if (publicKey is not null && !publicKey.Contains(ArmorHeader, StringComparison.Ordinal))
        {
            var key = map.Has("public_key") ? "public_key" : "public_key_file";
            map.Errors.Add(map.PathOf(key), map.LineOf(key),
                $"is not an armored public key (no '{ArmorHeader}' line); export it with `gpg --armor --export KEY`");
        }

        var gnupgHome = map.String("gnupg_home");
        if (gnupgHome is not null)
        {
            map.Context.Paths.ReadableDirectory(map.PathOf("gnupg_home"), map.LineOf("gnupg_home"), "gnupg_home", gnupgHome);
        }

        if (map.Errors.Count > errorsBefore || recipient is null)
        {
            return null;
        }

        return new EncryptionConfig { Name = name, Recipient = recipient, PublicKey = publicKey, GnupgHome = gnupgHome };
    }
}
