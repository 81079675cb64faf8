using System.Buffers.Binary;

namespace AttributionExplorer.Core.Scores;

/// <summary>Score vectors as little-endian float16 or float32 blobs. float16 saturates at ±65504 instead of overflowing.
/// NaN is kept: it marks a training image that is not a candidate for the target (similarity methods rank a same-class pool).</summary>
public static class ScoreCodec
{
    public static byte[] Encode(ReadOnlySpan<float> scores, ScoreDtype dtype)
    {
        int width = (int)dtype / 8;
        var bytes = new byte[scores.Length * width];
        for (int i = 0; i < scores.Length; i++)
        {
            float v = scores[i];
            if (dtype == ScoreDtype.Float32) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), v);
            else BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), float.IsNaN(v) ? Half.NaN : (Half)Math.Clamp(v, -65504f, 65504f));
        }
        return bytes;
    }

    public static float[] Decode(ReadOnlySpan<byte> data, ScoreDtype dtype)
    {
        int width = (int)dtype / 8;
        if (data.Length % width != 0) throw new FormatException($"a {dtype} score blob cannot have {data.Length} bytes");
        var scores = new float[data.Length / width];
        if (BitConverter.IsLittleEndian)
        {
            if (dtype == ScoreDtype.Float32) System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).CopyTo(scores);
            else
            {
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(data);
                for (int i = 0; i < scores.Length; i++) scores[i] = (float)halves[i];
            }
            return scores;
        }
        for (int i = 0; i < scores.Length; i++)
            scores[i] = dtype == ScoreDtype.Float32
                ? BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..])
                : (float)BinaryPrimitives.ReadHalfLittleEndian(data[(i * 2)..]);
        return scores;
    }

    public static ScoreDtype Parse(string name) => name.ToLowerInvariant() switch
    {
        "float16" or "f16" or "half" => ScoreDtype.Float16,
        "float32" or "f32" or "float" => ScoreDtype.Float32,
        _ => throw new ArgumentException($"unknown score dtype '{name}' (use float16 or float32)"),
    };
}
