using System.Text;

namespace Backup.Core.Configuration.Loading;

/// <summary>
/// Expands <c>${VAR}</c> from the environment in scalar values; <c>$${</c> is a literal <c>${</c>. Any
/// other <c>$</c> (<c>pa$word</c>, <c>pa$$word</c>) is kept as it is: seed configs predate interpolation,
/// and a password that happens to contain dollars must keep its meaning.
/// </summary>
internal sealed class Interpolator(Func<string, string?> getEnvironmentVariable)
{
    /// <summary>The value a <c>${NAME}</c> stands for, as <see cref="Expand"/> uses it; null when it is not set.</summary>
    public string? ValueOf(string name) => getEnvironmentVariable(name);

    /// <summary>The expanded text, or null with <paramref name="error"/> set when it cannot be expanded.</summary>
    /// <param name="secret">The text is a secret: the error must not quote any part of it.</param>
    public string? Expand(string text, ICollection<string> usedVariables, bool secret, out string? error)
    {
        error = null;
        if (!text.Contains('$'))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                // "$${" escapes the interpolation; "$$" elsewhere is two literal dollars.
                var escapesBrace = i + 2 < text.Length && text[i + 2] == '{';
                result.Append(escapesBrace ? "$" : "$$");
                i += 2;
                continue;
            }

            if (next != '{')
            {
                result.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                error = "'${' is not closed by '}' (write '$${' for a literal '${')";
                return null;
            }

            var name = text[(i + 2)..close];
            if (!IsVariableName(name))
            {
                var shown = secret ? "a '${...}'" : $"'${{{name}}}'";
                error = $"{shown} is not a valid variable reference (names are letters, digits and '_'; write '$${{' for a literal '${{')";
                return null;
            }

            var value = getEnvironmentVariable(name);
            if (value is null)
            {
                error = $"environment variable '{name}' is not set (set it, or write '$${{' for a literal '${{')";
                return null;
            }

            usedVariables.Add(name);
            result.Append(value);
            i = close + 1;
        }

        return result.ToString();
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
}
