using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backup.Core.Running;

/// <summary>
/// How every JSON report is written (the CLI's <c>--json</c>, and the report a hook reads from
/// <c>BACKUP_REPORT</c>): snake_case keys, enums as strings, indented.
/// </summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A status as the JSON spells it (<c>state_not_advanced</c>).</summary>
    public static string Name(ArtifactStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
