using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;

namespace Backup.Core.Sources;

/// <summary>
/// One kind of source (<c>sources.KEY.NAME</c>): everything generic code needs from it, so that the
/// config loader, the runner, <c>verify</c>, <c>restore</c> and the CLI never name a kind. Each kind
/// is one folder under <c>Sources/</c>, registered by one line in <see cref="SourceKinds"/>; implement
/// it through <see cref="SourceKind{TConfig}"/>, which hands every member the kind's own config record.
/// </summary>
public interface ISourceKind
{
    /// <summary>
    /// The key under <c>sources:</c> (<c>mysqldump</c>). It is also <see cref="SourceConfig.Kind"/>, part of
    /// every YAML path of its sources, and the <c>source_kind</c> of their manifests, so it never changes.
    /// </summary>
    string Key { get; }

    /// <summary>How messages name a source of this kind: <c>directory</c> gives "a directory source".</summary>
    string Noun { get; }

    /// <summary>
    /// The kind's own keys under <c>sources.KEY.NAME</c>. The keys every source shares
    /// (<see cref="KeySchema.CommonSource"/>: temp, compress, destination, retention, hooks, ...) are
    /// added and read by generic code, once, whatever the kind.
    /// </summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>
    /// Reads and checks the kind's own keys of one entry (unknown keys are refused and the shared keys read
    /// before this is called), reporting each problem with <c>map.Errors.Add(map.PathOf(key), map.LineOf(key), ...)</c>
    /// and secrets through <see cref="FileValues.ReadSecret"/> (which masks them everywhere and scrubs their
    /// variables from children). Returns the record without the shared keys (generic code applies them),
    /// or null when a required value is missing; an entry with any error is dropped either way.
    /// </summary>
    internal SourceConfig? Read(string name, MappingReader map);

    /// <summary>
    /// The items every run of <paramref name="config"/> makes, known from the config alone: the databases it
    /// lists, the directory's name. Items only the server can name (all databases) are left out. <c>backup
    /// status</c> and the daemon's <c>max_age</c> watch show one of them that has nothing stored as missing.
    /// </summary>
    IReadOnlyList<string> ExpectedItems(SourceConfig config);

    /// <summary>The working source for one entry: its preflight, and the items a run plans (<see cref="ISource"/>).</summary>
    ISource Create(SourceConfig config, SourceServices services);

    /// <summary>
    /// What <c>verify</c> reads an artifact of this kind into once it is downloaded, checksummed, decrypted
    /// and decompressed, to prove it whole without restoring it (a tar archive to its end with every entry
    /// safe; a dump to its completion trailer). It throws when the artifact is incomplete. Chosen from the
    /// manifest alone: a host without the config verifies too. Null: read to the end, which proves the
    /// bytes and their decoding only.
    /// </summary>
    Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest);

    /// <summary>
    /// Environment variables that carry credentials in the conventions of this kind's programs
    /// (<c>MYSQL_PWD</c>): removed from every child process, whatever the config says.
    /// </summary>
    IReadOnlyList<string> ChildSecretVariables { get; }

    /// <summary>
    /// The options of <c>backup restore</c> this kind takes, the shared ones (<see cref="RestoreOption.To"/>,
    /// <see cref="RestoreOption.Into"/>, <see cref="RestoreOption.ToFile"/>, <see cref="RestoreOption.Force"/>)
    /// among them. Any other option is refused before <see cref="PlanRestore"/> sees the request.
    /// </summary>
    IReadOnlyList<RestoreOption> RestoreOptions { get; }

    /// <summary>How its sources are restored, for a refusal: "restore it with --to DIR".</summary>
    string RestoreUsage { get; }

    /// <summary>Its part of <c>backup restore --help</c>: how it restores, and examples.</summary>
    RestoreHelp RestoreHelp { get; }

    /// <summary>
    /// Checks a request made of <see cref="RestoreOptions"/> (a target missing, two targets: a
    /// <see cref="UsageException"/>) and returns the restore to run once the artifact is chosen.
    /// </summary>
    IRestoreAction PlanRestore(SourceConfig config, RestoreRequest request);
}
