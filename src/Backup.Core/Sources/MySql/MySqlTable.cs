namespace Backup.Core.Sources.MySql;

/// <summary>A table as information_schema reports it.</summary>
public sealed record MySqlTable(string Database, string Name, string Engine)
{
    public override string ToString() => $"{Database}.{Name}";
}
