using System.Text;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

/// <summary>Just enough protobuf to write tiny ONNX models in tests (field numbers from onnx.proto): varints and
/// length-delimited messages.</summary>
internal sealed class OnnxModelWriter
{
    private readonly MemoryStream buffer = new();

    public byte[] ToArray() => buffer.ToArray();

    public OnnxModelWriter Varint(int field, long value) { Tag(field, 0); WriteVarint((ulong)value); return this; }
    public OnnxModelWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));
    public OnnxModelWriter Message(int field, OnnxModelWriter message) => Bytes(field, message.ToArray());

    public OnnxModelWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

    private void WriteVarint(ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            buffer.WriteByte(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
    }

    // ---- ONNX messages ----
    private const int Float = 1;

    /// <summary>ValueInfoProto for a float tensor; a dimension ≤ 0 becomes the symbolic "N".</summary>
    public static OnnxModelWriter FloatValue(string name, params long[] dims)
    {
        var shape = new OnnxModelWriter();
        foreach (long d in dims) shape.Message(1, d > 0 ? new OnnxModelWriter().Varint(1, d) : new OnnxModelWriter().String(2, "N"));
        var tensorType = new OnnxModelWriter().Varint(1, Float).Message(2, shape);
        return new OnnxModelWriter().String(1, name).Message(2, new OnnxModelWriter().Message(1, tensorType));
    }

    public static OnnxModelWriter Node(string op, string[] inputs, string[] outputs, params OnnxModelWriter[] attributes)
    {
        var node = new OnnxModelWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, op + "_node").String(4, op);
        foreach (var a in attributes) node.Message(5, a);
        return node;
    }

    public static OnnxModelWriter IntAttribute(string name, long value) => new OnnxModelWriter().String(1, name).Varint(3, value).Varint(20, 2);

    public static OnnxModelWriter FloatInitializer(string name, long[] dims, float[] values)
    {
        var tensor = new OnnxModelWriter();
        foreach (long d in dims) tensor.Varint(1, d);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return tensor.Varint(2, Float).String(8, name).Bytes(9, raw);
    }

    public static byte[] Model(IEnumerable<OnnxModelWriter> nodes, IEnumerable<OnnxModelWriter> initializers, OnnxModelWriter input, OnnxModelWriter output)
    {
        var graph = new OnnxModelWriter();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, "test_graph");
        foreach (var i in initializers) graph.Message(5, i);
        graph.Message(11, input).Message(12, output);
        return new OnnxModelWriter().Varint(1, 7).String(2, "AttributionExplorer tests")
            .Message(7, graph).Message(8, new OnnxModelWriter().String(1, "").Varint(2, 13)).ToArray();
    }
}
