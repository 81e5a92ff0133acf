using Backup.Tests.Support;

namespace Backup.Tests.Configuration;

/// <summary>Whatever goes wrong around a secret, no error message carries its value.</summary>
public sealed class SecretLeakSpecs : IDisposable
{
    private const string Password = "Pw-0f-the-Database";
    private const string KeyId = "AKIA-K3Y-1D-VALUE";
    private const string SecretKey = "S3cr3t-Acc3ss-K3y";
    private const string Token = "S3ssion-T0ken-Value";
    private const string FileSecret = "Secr3t-From-A-File";
    private const string EnvSecret = "Secr3t-From-The-Env";

    private readonly TempDir _tmp = new("secret-leak");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void No_error_message_contains_a_secret_value()
    {
        _tmp.Write("token", FileSecret + "\n");
        var yaml = $$"""
            sources:
              mysqldump:
                prod:
                  temp: {{_tmp.Path}}/missing
                  databases: {{Password}}
                  password: {{Password}}
                  password_file: token
                  port: {{Password}}
                  pasword: {{Password}}
                dev:
                  databases: [app]
                  password: ${DB_PASSWORD}
                  compress: ${DB_PASSWORD}
                  destination: ${DB_PASSWORD}
            destinations:
              s3:
                method: s3
                AWS_ACCESS_KEY_ID: {{KeyId}}
                AWS_SESSION_TOKEN: {{Token}}
                AWS_SESSION_TOKEN_FILE: token
              s3-b:
                method: s3
                S3_BUCKET: b
                AWS_SECRET_ACCESS_KEY: {{SecretKey}}
                AWS_SECRET_ACCESS_KEY_file: token
              s3-c:
                method: s3
                S3_BUCKET: b
                AWS_SECRET_ACCESS_KEY: [{{SecretKey}}]
                AWS_SESSION_TOKEN_file: token
            """;

        var exception = ConfigText.Failure(yaml, _tmp.Path, new Dictionary<string, string> { ["DB_PASSWORD"] = EnvSecret });

        Assert.True(exception.Errors.Count >= 10, exception.Message);
        foreach (var secret in new[] { Password, KeyId, SecretKey, Token, FileSecret, EnvSecret })
        {
            Assert.DoesNotContain(secret, exception.Message, StringComparison.Ordinal);
        }

        // The errors are still there, masked where they would have echoed a value.
        ConfigText.AssertHas(exception.Errors, "sources.mysqldump.prod.port", 8, "expected a whole number, found '***'");
        ConfigText.AssertHas(exception.Errors, "sources.mysqldump.dev.compress", 13, "'***' is not a compression");
    }
}
