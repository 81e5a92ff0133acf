namespace Backup.Core.Configuration;

/// <summary>How an e-mail notification talks to its SMTP server (<c>tls:</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded by STARTTLS, which the server must offer (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>No encryption: only for a relay on this host or a trusted network.</summary>
    None,
}
