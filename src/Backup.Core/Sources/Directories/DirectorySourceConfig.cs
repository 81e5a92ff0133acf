using Backup.Core.Configuration;

namespace Backup.Core.Sources.Directories;

/// <summary><c>sources.directories.NAME</c>: a GNU tar archive of one directory.</summary>
public sealed record DirectorySourceConfig : SourceConfig
{
    public override string Kind => DirectoryKind.YamlKey;

    public required string Path { get; init; }

    public bool Incremental { get; init; }

    /// <summary>GNU tar <c>--listed-incremental</c> state file; required when <see cref="Incremental"/>.</summary>
    public string? IncrementalSnapshot { get; init; }

    /// <summary><c>full_every</c>: when an incremental source starts a new chain (level 0); null when not set. Only with <see cref="Incremental"/>.</summary>
    public FullEvery? FullEvery { get; init; }

    public override string? StateFile => Incremental ? IncrementalSnapshot : null;
}
