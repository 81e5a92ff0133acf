namespace Backup.Core.Logging;

/// <summary>
/// Plain log lines for the operator (which credentials were used, warnings, retries). The CLI writes
/// them to stderr; nothing passed here may contain a secret.
/// </summary>
public interface IEventLog
{
    void Info(string message);

    void Warn(string message);

    public static IEventLog Null { get; } = new NullEventLog();

    private sealed class NullEventLog : IEventLog
    {
        public void Info(string message) { }
        public void Warn(string message) { }
    }
}
