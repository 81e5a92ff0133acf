using System.Text;

namespace Backup.IntegrationTests.Compression;

/// <summary>Deterministic test input shaped like a backup: incompressible runs between text lines.</summary>
internal static class SampleData
{
    public static byte[] Mixed(int megabytes, int seed = 42)
    {
        var random = new Random(seed);
        using var data = new MemoryStream();
        var line = 0;
        while (data.Length < megabytes << 20)
        {
            var noise = new byte[random.Next(1, 64 << 10)];
            random.NextBytes(noise);
            data.Write(noise);
            var text = new StringBuilder();
            for (var i = 0; i < 2000; i++, line++)
                text.Append($"INSERT INTO t VALUES ({line}, 'row {line}', {random.Next()});\n");
            data.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return data.ToArray();
    }
}
