namespace Backup.Core.Catalog;

/// <summary>
/// Where an incremental artifact sits in its GNU tar chain: level 0 is the full archive, level N
/// applies on top of level N-1 (<see cref="BaseKey"/>). <see cref="Id"/> is shared by every link.
/// </summary>
public sealed record ChainInfo(string Id, int Level, string? BaseKey);
