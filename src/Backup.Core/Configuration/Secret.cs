namespace Backup.Core.Configuration;

/// <summary>
/// A credential read from the config, the environment or a <c>*_file</c>. It prints as a mask so that
/// it cannot leak into logs, reports or exception messages by accident; <see cref="Reveal"/> is the
/// only way to the value and is called only where the value goes into a 0600 file or an SDK client.
/// </summary>
public sealed class Secret(string value)
{
    public string Reveal() => value;

    public bool IsEmpty => value.Length == 0;

    public override string ToString() => "***";
}
