namespace Backup.Core.Encryption;

/// <summary>The accepted spellings of a <c>recipient</c>; see <see cref="GpgRecipientForm"/>.</summary>
public enum GpgRecipientKind
{
    /// <summary><c>alice@ex.com</c> or <c>&lt;alice@ex.com&gt;</c>: a user ID whose address is exactly that.</summary>
    Email,

    /// <summary>40 hex digits (64 for v5 keys), spaces and 0x allowed: the primary key or a subkey.</summary>
    Fingerprint,

    /// <summary>16 hex digits, 0x allowed: the primary key or a subkey.</summary>
    LongKeyId,

    /// <summary><c>=Alice &lt;alice@ex.com&gt;</c>: a user ID equal to the text after '='.</summary>
    UserId,
}
