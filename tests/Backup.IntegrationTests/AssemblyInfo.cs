// The specs drive Linux tools (GNU tar, gpg, MariaDB) and Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
