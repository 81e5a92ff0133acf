namespace Backup.Core.Configuration;

/// <summary>The moments a notification entry can be sent at (its <c>on:</c> list).</summary>
public enum NotificationTrigger
{
    /// <summary>Before the first source runs.</summary>
    Start,

    /// <summary>The run ended and every artifact of the entry's sources was stored without warnings.</summary>
    Success,

    /// <summary>The run ended, nothing failed, but an artifact has warnings or a source's lock was held.</summary>
    Warning,

    /// <summary>The run ended and an artifact failed, was interrupted or could not advance its state.</summary>
    Failure,
}
