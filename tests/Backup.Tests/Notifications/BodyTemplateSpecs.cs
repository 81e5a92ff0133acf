using System.Text.Json;
using Backup.Core.Notifications;

namespace Backup.Tests.Notifications;

/// <summary>Webhook templates: placeholders filled in, JSON-escaped in a JSON body, checked when read.</summary>
public sealed class BodyTemplateSpecs
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["title"] = "backup on db1: failure (prod failed)",
        ["text"] = "line \"one\"\nline \\two\\\ttab",
        ["host"] = "db1",
    };

    [Fact]
    public void In_a_JSON_body_each_value_is_escaped_so_the_body_stays_valid_JSON()
    {
        var template = BodyTemplate.Parse("""{"text": "*{{title}}*\n{{text}}", "host": "{{ host }}"}""", out var error)!;

        var body = template.Render(Values, json: true);

        Assert.Null(error);
        Assert.True(template.LooksLikeJson);
        using var parsed = JsonDocument.Parse(body);
        Assert.Equal("*backup on db1: failure (prod failed)*\nline \"one\"\nline \\two\\\ttab", parsed.RootElement.GetProperty("text").GetString());
        Assert.Equal("db1", parsed.RootElement.GetProperty("host").GetString());
    }

    [Fact]
    public void In_a_plain_body_values_are_written_as_they_are()
    {
        var template = BodyTemplate.Parse("{{title}}\n\n{{text}}", out _)!;

        Assert.False(template.LooksLikeJson);
        Assert.Equal("backup on db1: failure (prod failed)\n\nline \"one\"\nline \\two\\\ttab", template.Render(Values, json: false));
    }

    [Fact]
    public void A_template_without_placeholders_is_its_text() =>
        Assert.Equal("static {body}", BodyTemplate.Parse("static {body}", out _)!.Render(Values, json: true));

    [Theory]
    [InlineData("{{titel}}", "'{{titel}}' is not a placeholder", "(did you mean 'title'?)")]
    [InlineData("ok {{title}} then {{nope}}", "'{{nope}}' is not a placeholder", "{{run_id}}")]
    [InlineData("{{}}", "'{{}}' is not a placeholder", "{{text}}")]
    public void An_unknown_placeholder_is_refused_naming_the_known_ones(string text, string fragment, string alsoSays)
    {
        Assert.Null(BodyTemplate.Parse(text, out var error));
        Assert.Contains(fragment, error);
        Assert.Contains(alsoSays, error);
    }

    [Fact]
    public void Every_placeholder_has_a_value_for_an_event()
    {
        var values = EventText.Values(NotificationSamples.End(NotificationSamples.Ok("home", "data")));

        Assert.Equal(BodyTemplate.Placeholders.Keys.Order(), values.Keys.Order());
    }
}
