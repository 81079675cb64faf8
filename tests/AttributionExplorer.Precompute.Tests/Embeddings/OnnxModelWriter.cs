namespace AttributionExplorer.Precompute.Tests.Embeddings;

/// <summary>Builds ONNX ModelProto bytes by hand, with field numbers from onnx/onnx.proto, so tests can create tiny
/// models without Python or the onnx package.</summary>
internal static class OnnxModelWriter
{
    public const int Float = 1;
    public const int Int64 = 7;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>ModelProto{ir_version (1) = 7, graph (7), opset_import (8) = {domain (1) "", version (2) 13}}.</summary>
    public static byte[] Model(ProtobufWriter graph) => new ProtobufWriter()
        .Varint(1, 7)
        .Message(7, graph)
        .Message(8, new ProtobufWriter().String(1, "").Varint(2, 13))
        .ToArray();

    /// <summary>GraphProto{node (1), name (2), initializer (5), input (11), output (12)}.</summary>
    public static ProtobufWriter Graph(string name, IEnumerable<ProtobufWriter> nodes, IEnumerable<ProtobufWriter> initializers,
        IEnumerable<ProtobufWriter> inputs, IEnumerable<ProtobufWriter> outputs)
    {
        var graph = new ProtobufWriter();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, name);
        foreach (var t in initializers) graph.Message(5, t);
        foreach (var i in inputs) graph.Message(11, i);
        foreach (var o in outputs) graph.Message(12, o);
        return graph;
    }

    /// <summary>NodeProto{input (1), output (2), name (3), op_type (4), attribute (5)}.</summary>
    public static ProtobufWriter Node(string opType, string[] inputs, string[] outputs, params ProtobufWriter[] attributes)
    {
        var node = new ProtobufWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, $"{opType}_{outputs[0]}").String(4, opType);
        foreach (var a in attributes) node.Message(5, a);
        return node;
    }

    /// <summary>ValueInfoProto{name (1), type (2): TypeProto{tensor_type (1): {elem_type (1), shape (2):
    /// TensorShapeProto{dim (1): {dim_value (1) | dim_param (2)}}}}}. A dim is a long (fixed) or a string (symbolic).</summary>
    public static ProtobufWriter ValueInfo(string name, int elemType, params object[] dims)
    {
        var shape = new ProtobufWriter();
        foreach (var d in dims)
            shape.Message(1, d switch
            {
                string param => new ProtobufWriter().String(2, param),
                int value => new ProtobufWriter().Varint(1, value),
                long value => new ProtobufWriter().Varint(1, value),
                _ => throw new ArgumentException($"dim {d} is neither a number nor a name"),
            });
        var tensorType = new ProtobufWriter().Varint(1, elemType).Message(2, shape);
        return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, tensorType));
    }

    /// <summary>TensorProto{dims (1), data_type (2), name (8), raw_data (9) little-endian}.</summary>
    public static ProtobufWriter FloatTensor(string name, long[] dims, float[] values) =>
        Tensor(name, dims, Float, values.SelectMany(v => LittleEndian(BitConverter.GetBytes(v))).ToArray());

    public static ProtobufWriter Int64Tensor(string name, long[] dims, long[] values) =>
        Tensor(name, dims, Int64, values.SelectMany(v => LittleEndian(BitConverter.GetBytes(v))).ToArray());

    /// <summary>AttributeProto{name (1), i (3), type (20) = INT}.</summary>
    public static ProtobufWriter IntAttribute(string name, long value) =>
        new ProtobufWriter().String(1, name).Varint(3, value).Varint(20, AttributeInt);

    /// <summary>AttributeProto{name (1), ints (8), type (20) = INTS}.</summary>
    public static ProtobufWriter IntsAttribute(string name, params long[] values)
    {
        var attribute = new ProtobufWriter().String(1, name);
        foreach (var v in values) attribute.Varint(8, v);
        return attribute.Varint(20, AttributeInts);
    }

    private static ProtobufWriter Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var tensor = new ProtobufWriter();
        foreach (var d in dims) tensor.Varint(1, d);
        return tensor.Varint(2, dataType).String(8, name).Bytes(9, raw);
    }

    private static byte[] LittleEndian(byte[] bytes) => BitConverter.IsLittleEndian ? bytes : [.. bytes.Reverse()];
}
