namespace Backup.Core.Configuration.Loading;

/// <summary><c>destinations</c>: each entry's <c>method</c> picks the reader for the rest of its keys.</summary>
internal static class DestinationsReader
{
    public static Dictionary<string, DestinationConfig> Read(MappingReader? section)
    {
        var result = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        if (section is null)
        {
            return result;
        }

        foreach (var (name, map) in section.NamedMappings())
        {
            var method = map.RequiredString("method", $"one of {string.Join(", ", KeySchema.DestinationMethods)}");
            DestinationConfig? destination = method switch
            {
                null => null,
                "s3" => S3DestinationReader.Read(name, map),
                "local" => LocalDestinationReader.Read(name, map),
                _ => Unknown(map, method),
            };

            if (destination is not null)
            {
                result.Add(name, destination);
            }
        }

        return result;
    }

    private static DestinationConfig? Unknown(MappingReader map, string method)
    {
        // Without a known method the other keys cannot be checked; the method is the one thing to fix.
        map.Errors.Add(map.PathOf("method"), map.LineOf("method"),
            $"unknown method '{method}': use one of {string.Join(", ", KeySchema.DestinationMethods)}"
            + DidYouMean.Suffix(method, KeySchema.DestinationMethods));
        return null;
    }
}
