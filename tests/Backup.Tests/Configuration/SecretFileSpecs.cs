using Backup.Core.Configuration;
using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

public sealed class SecretFileSpecs : IDisposable
{
    private readonly TempDir _tmp = new("secret-files");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void A_password_file_is_read_with_one_trailing_newline_trimmed()
    {
        _tmp.Write("db.pass", "s3cret  \n\n");

        var config = Parse("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password_file: db.pass
            """);

        // Only one newline goes: the rest may be part of the secret.
        Assert.Equal("s3cret  \n", config.MySql["prod"].Password?.Reveal());
    }

    [Fact]
    public void Aws_secrets_accept_upper_and_lower_case_file_suffixes()
    {
        _tmp.Write("keys/id", "AKIAFROMFILE\r\n");
        var secretPath = _tmp.Write("keys/secret", "from-file-secret");
        _tmp.Write("keys/token", "token-from-file\n");

        var config = Parse($$"""
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destinations:
              s3:
                method: s3
                S3_BUCKET: b
                AWS_ACCESS_KEY_ID_FILE: keys/id
                AWS_SECRET_ACCESS_KEY_file: {{secretPath}}
                AWS_SESSION_TOKEN_FILE: ./keys/token
            """);

        var s3 = Assert.IsType<S3DestinationConfig>(config.Destinations["s3"]);
        Assert.Equal("AKIAFROMFILE", s3.AccessKeyId?.Reveal());
        Assert.Equal("from-file-secret", s3.SecretAccessKey?.Reveal());
        Assert.Equal("token-from-file", s3.SessionToken?.Reveal());
    }

    [Fact]
    public void A_public_key_file_is_read_relative_to_the_config()
    {
        const string armored = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----";
        _tmp.Write("keys/backup.asc", armored + "\n");

        var config = Parse("""
            sources:
              directories:
                home: { path: /data, temp: "{tmp}", encryption: gpg-main }
            encryptions:
              gpg-main:
                method: gpg
                recipient: backups@example.com
                public_key_file: keys/backup.asc
                gnupg_home: {tmp}
            """);

        Assert.Equal(armored, config.Encryptions["gpg-main"].PublicKey);
        Assert.Equal(_tmp.Path, config.Encryptions["gpg-main"].GnupgHome);
    }

    [Fact]
    public void A_missing_secret_file_names_the_key_and_the_file()
    {
        var errors = ConfigText.Errors(Fill("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password_file: nowhere/db.pass
            """), _tmp.Path);

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.password_file", 6,
            $"cannot read '{_tmp.Combine("nowhere", "db.pass")}'");
    }

    [Fact]
    public void A_secret_file_that_is_a_directory_is_an_error()
    {
        _tmp.CreateDirectory("a-directory");

        var errors = ConfigText.Errors(Fill("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password_file: a-directory
            """), _tmp.Path);

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.password_file", 6, "it is a directory, not a file");
    }

    [Fact]
    public void A_password_and_its_file_together_are_an_error()
    {
        _tmp.Write("db.pass", "x");

        var errors = ConfigText.Errors(Fill("""
            sources:
              mysqldump:
                prod:
                  temp: {tmp}
                  databases: [app]
                  password: inline
                  password_file: db.pass
            """), _tmp.Path);

        ConfigText.AssertHas(errors, "sources.mysqldump.prod.password_file", 7, "set only one of `password` or `password_file`");
    }

    private BackupConfig Parse(string yaml) => ConfigText.Parse(Fill(yaml), _tmp.Path);

    private string Fill(string yaml) => yaml.Replace("{tmp}", _tmp.Path, StringComparison.Ordinal);
}
