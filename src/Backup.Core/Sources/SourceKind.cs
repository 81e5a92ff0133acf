using Backup.Core.Catalog;
using Backup.Core.Configuration;
using Backup.Core.Configuration.Loading;
using Backup.Core.Restore;

namespace Backup.Core.Sources;

/// <summary>
/// The base of every <see cref="ISourceKind"/>: generic code holds configs as <see cref="SourceConfig"/>,
/// and this turns each back into the kind's own record, so a kind is written against its own type.
/// </summary>
internal abstract class SourceKind<TConfig> : ISourceKind where TConfig : SourceConfig
{
    public abstract string Key { get; }

    public abstract string Noun { get; }

    public abstract IReadOnlyList<string> Keys { get; }

    public virtual IReadOnlyList<string> ChildSecretVariables => [];

    public abstract IReadOnlyList<RestoreOption> RestoreOptions { get; }

    public abstract string RestoreUsage { get; }

    public abstract RestoreHelp RestoreHelp { get; }

    public virtual Func<Stream, CancellationToken, Task>? CompletenessCheck(Manifest manifest) => null;

    /// <inheritdoc cref="ISourceKind.Read"/>
    protected abstract TConfig? Read(string name, MappingReader map);

    /// <inheritdoc cref="ISourceKind.ExpectedItems"/>
    protected abstract IReadOnlyList<string> ExpectedItems(TConfig config);

    /// <inheritdoc cref="ISourceKind.Create"/>
    protected abstract ISource Create(TConfig config, SourceServices services);

    /// <inheritdoc cref="ISourceKind.PlanRestore"/>
    protected abstract IRestoreAction PlanRestore(TConfig config, RestoreRequest request);

    SourceConfig? ISourceKind.Read(string name, MappingReader map) => Read(name, map);

    IReadOnlyList<string> ISourceKind.ExpectedItems(SourceConfig config) => ExpectedItems(Own(config));

    ISource ISourceKind.Create(SourceConfig config, SourceServices services) => Create(Own(config), services);

    IRestoreAction ISourceKind.PlanRestore(SourceConfig config, RestoreRequest request) => PlanRestore(Own(config), request);

    private TConfig Own(SourceConfig config) =>
        config as TConfig ?? throw new ArgumentException($"{config.YamlPath} is not a {Key} source", nameof(config));
}
