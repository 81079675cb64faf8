using System.Text;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

/// <summary>The two protobuf wire types ONNX models need: varints (wire type 0) and length-delimited fields
/// (wire type 2: strings, bytes, nested messages). Repeated scalars are written unpacked, one tag per value.</summary>
internal sealed class ProtobufWriter
{
    private readonly List<byte> _bytes = [];

    public ProtobufWriter Varint(int field, long value)
    {
        WriteVarint(((ulong)field << 3) | 0);
        WriteVarint(unchecked((ulong)value)); // negative int64 takes 10 bytes, as protobuf specifies
        return this;
    }

    public ProtobufWriter Bytes(int field, byte[] value)
    {
        WriteVarint(((ulong)field << 3) | 2);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => [.. _bytes];

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.Add((byte)value);
    }
}
