using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Backup.Core.Processes;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// A real SMTP server on loopback: the npm package maildev (installed by <c>npm ci</c> at the repo
/// root), with a login required, whose HTTP API lets specs read what arrived. Shared by the specs of
/// the <see cref="MailDevCollection"/>; when it cannot start, they fail (in CI as anywhere), never skip.
/// </summary>
public sealed class MailDev : IAsyncLifetime
{
    public const string User = "backup-sender";

    // Only valid against this throwaway server.
    public const string Password = "Smtp-Pa55-For-Specs";

    private readonly TempDir _mail = new("maildev");
    private readonly string _script = Path.Combine(RepoRoot.Path, "node_modules", "maildev", "dist", "bin", "maildev.js");
    private readonly HttpClient _api = new();
    private BackgroundProgram? _program;

    public int SmtpPort { get; } = LoopbackPort.Free();

    public int WebPort { get; } = LoopbackPort.Free();

    public sealed record Mail(string Id, string Subject, string Text, IReadOnlyList<string> To, string From, IReadOnlyDictionary<string, string> Headers);

    public async Task InitializeAsync()
    {
        if (!File.Exists(_script))
            throw new InvalidOperationException($"maildev not installed: run scripts/test.sh (npm ci) ({_script} is missing)");
        var program = _program = BackgroundProgram.Start(ChildProcess.Create("node",
        [
            _script, "--smtp", SmtpPort.ToString(), "--ip", "127.0.0.1", "--web", WebPort.ToString(), "--web-ip", "127.0.0.1",
            "--incoming-user", User, "--incoming-pass", Password, "--mail-directory", _mail.Path, "--silent",
        ]));
        await Poll.UntilAsync(() =>
        {
            program.ThrowIfExited("maildev");
            return Accepts(SmtpPort) && Accepts(WebPort);
        }, $"maildev to listen on 127.0.0.1:{SmtpPort} (SMTP) and :{WebPort} (API)");
    }

    /// <summary>Every message that arrived, oldest first.</summary>
    public async Task<IReadOnlyList<Mail>> MailsAsync()
    {
        using var json = JsonDocument.Parse(await _api.GetStringAsync($"http://127.0.0.1:{WebPort}/api/email"));
        return json.RootElement.EnumerateArray().Select(m => new Mail(
            m.GetProperty("id").GetString()!,
            m.GetProperty("subject").GetString() ?? "",
            m.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "",
            m.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!).ToList(),
            m.GetProperty("envelope").GetProperty("from").GetProperty("address").GetString()!,
            m.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.ToString()))).ToList();
    }

    /// <summary>The message as it came over SMTP (headers and body, encoded as sent).</summary>
    public Task<string> SourceAsync(string id) => _api.GetStringAsync($"http://127.0.0.1:{WebPort}/api/email/{id}/source");

    /// <summary>Waits until a message whose subject contains <paramref name="subject"/> arrived.</summary>
    public Task<Mail> WaitForAsync(string subject) =>
        Poll.ForAsync(async () => (await MailsAsync()).FirstOrDefault(m => m.Subject.Contains(subject, StringComparison.Ordinal)),
            $"a message with '{subject}' in its subject at maildev");

    public async Task DisposeAsync()
    {
        if (_program is not null)
            await _program.DisposeAsync();
        _api.Dispose();
        _mail.Dispose();
    }

    private static bool Accepts(int port)
    {
        using var socket = new TcpClient();
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
