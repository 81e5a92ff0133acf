namespace Backup.Core.Configuration;

/// <summary>How much of the local file system loading a config looks at.</summary>
public enum LocalPathChecks
{
    /// <summary>
    /// Nothing (list, verify, restore): they may run on a host other than the one that makes the
    /// backups, which has none of its local paths.
    /// </summary>
    None,

    /// <summary>
    /// What a run needs before it starts anything (run): the directories it writes into (temp,
    /// snapshots, local destinations) and gnupg_home. A source whose own path is missing fails alone
    /// when its turn comes; the other sources still run.
    /// </summary>
    Run,

    /// <summary>Also every source's path (validate): a config is not "ok" if a run would fail a source.</summary>
    All,
}
