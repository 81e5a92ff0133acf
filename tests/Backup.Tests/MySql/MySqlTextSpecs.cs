using Backup.Core.Configuration;
using Backup.Core.Sources.MySql;

namespace Backup.Tests.MySql;

public sealed class MySqlTextSpecs
{
    [Theory]
    [InlineData("my-db", "`my-db`")]
    [InlineData("order", "`order`")]
    [InlineData("we`ird", "`we``ird`")]
    public void Identifiers_are_backquoted_with_backquotes_doubled(string name, string quoted) =>
        Assert.Equal(quoted, MySqlText.Identifier(name));

    [Fact]
    public void String_literals_are_hex_so_no_sql_mode_changes_their_meaning()
    {
        Assert.Equal("CONVERT(X'6D792D6462' USING utf8mb4)", MySqlText.Literal("my-db"));
        Assert.Equal("''", MySqlText.Literal(""));
        Assert.DoesNotContain("'x'", MySqlText.Literal("x' OR '1'='1"));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("has space", "\"has space\"")]
    [InlineData("hash#not-a-comment", "\"hash#not-a-comment\"")]
    [InlineData("quote\"inside", "\"quote\\\"inside\"")]
    [InlineData("single'quote", "\"single'quote\"")]
    [InlineData(@"back\slash", @"""back\\slash""")]
    [InlineData("ends with backslash\\", "\"ends with backslash\\\\\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    public void Option_file_values_are_double_quoted_and_escaped(string value, string expected) =>
        Assert.Equal(expected, MySqlText.OptionValue(value));

    [Fact]
    public void The_option_file_holds_every_connection_setting_under_client()
    {
        var text = MySqlOptionFile.Render("db.example", 3307, "backup", new Secret("p\"w #x"));

        Assert.Equal("[client]\nuser=\"backup\"\npassword=\"p\\\"w #x\"\nhost=\"db.example\"\nport=3307\n", text);
    }

    [Fact]
    public void Unset_settings_are_left_to_the_client_defaults()
    {
        Assert.Equal("[client]\n", MySqlOptionFile.Render(null, null, null, null));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"tab\there", "tab\there")]
    [InlineData(@"new\nline", "new\nline")]
    [InlineData(@"back\\slash", @"back\slash")]
    [InlineData(@"nul\0byte", "nul\0byte")]
    public void Batch_output_fields_are_unescaped(string field, string value) =>
        Assert.Equal(value, MySqlText.UnescapeBatchField(field));
}
