namespace Backup.Core.Restore;

/// <summary>What <c>backup restore --help</c> says of one kind (<see cref="Sources.ISourceKind.RestoreHelp"/>).</summary>
/// <param name="Text">How its sources are restored, in lines of at most 100 characters; the help puts the kind's key in front.</param>
/// <param name="Examples">Command lines, each with an optional <c># comment</c>.</param>
public sealed record RestoreHelp(string Text, IReadOnlyList<string> Examples);
