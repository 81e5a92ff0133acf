namespace Backup.Core.Processes;

/// <summary>A secret file made by <see cref="TempSecretFiles.Create"/>; disposing deletes it and its directory.</summary>
public sealed class TempSecretFile(string path, TempSecretFiles registry) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => registry.Delete(Path);
}
