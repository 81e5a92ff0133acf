using Backup.Core.Compression;

namespace Backup.Tests.Fakes;

/// <summary>A reversible byte transform standing in for a real compressor; can be told to fail.</summary>
public sealed class XorCompressor(bool fail = false) : ICompressor
{
    public string Extension => ".xor";
    public string Name => "xor";

    public Task CompressAsync(Stream input, Stream output, CancellationToken ct) => TransformAsync(input, output, ct);

    public Task DecompressAsync(Stream input, Stream output, CancellationToken ct) => TransformAsync(input, output, ct);

    private async Task TransformAsync(Stream input, Stream output, CancellationToken ct)
    {
        var buffer = new byte[65536];
        int n;
        while ((n = await input.ReadAsync(buffer, ct)) > 0)
        {
            if (fail)
                throw new IOException("xor: simulated compressor failure");
            for (var i = 0; i < n; i++)
                buffer[i] ^= 0x5A;
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    public static byte[] Apply(byte[] data) => data.Select(b => (byte)(b ^ 0x5A)).ToArray();
}
