using static AttributionExplorer.Precompute.Tests.Embeddings.OnnxModelWriter;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

/// <summary>Tiny "image encoders": the per-channel spatial mean of the input times a 3×4 matrix, so the expected
/// embedding is a closed form of the preprocessed pixels.</summary>
internal static class TinyEncoderModels
{
    public const string InputName = "pixels";

    public static readonly float[,] Projection =
    {
        { 1f, 0f, 2f, -1f },
        { 0.5f, 1f, -1f, 0f },
        { -0.25f, 2f, 0f, 1f },
    };

    private static ProtobufWriter ProjectionInitializer() =>
        FloatTensor("W", [3, 4], [.. Projection.Cast<float>()]);

    /// <summary>pixels [batch,3,h,w] → GlobalAveragePool → Flatten(axis=1) → MatMul W → embedding [batch,4].</summary>
    public static byte[] GlobalPoolFlatten(object batch, object height, object width, object? outputDim = null) => Model(Graph(
        "gap_flatten_matmul",
        [
            Node("GlobalAveragePool", [InputName], ["pooled"]),
            Node("Flatten", ["pooled"], ["flat"], IntAttribute("axis", 1)),
            Node("MatMul", ["flat", "W"], ["embedding"]),
        ],
        [ProjectionInitializer()],
        [ValueInfo(InputName, Float, batch, 3, height, width)],
        [ValueInfo("embedding", Float, batch, outputDim ?? 4)]));

    /// <summary>pixels [batch,3,8,8] → ReduceMean(axes=[2,3], keepdims=0) → MatMul W → embedding [batch,4].</summary>
    public static byte[] ReduceMean(object batch) => Model(Graph(
        "reducemean_matmul",
        [
            Node("ReduceMean", [InputName], ["pooled"], IntsAttribute("axes", 2, 3), IntAttribute("keepdims", 0)),
            Node("MatMul", ["pooled", "W"], ["embedding"]),
        ],
        [ProjectionInitializer()],
        [ValueInfo(InputName, Float, batch, 3, 8, 8)],
        [ValueInfo("embedding", Float, batch, 4)]));

    /// <summary>pixels [N,3,8,8] → GlobalAveragePool → Reshape [0,1,3] → MatMul W → embedding [N,1,4], the layout some
    /// exporters give a pooled token.</summary>
    public static byte[] TokenOutput() => Model(Graph(
        "gap_reshape_matmul",
        [
            Node("GlobalAveragePool", [InputName], ["pooled"]),
            Node("Reshape", ["pooled", "token_shape"], ["token"]),
            Node("MatMul", ["token", "W"], ["embedding"]),
        ],
        [ProjectionInitializer(), Int64Tensor("token_shape", [3], [0, 1, 3])],
        [ValueInfo(InputName, Float, "N", 3, 8, 8)],
        [ValueInfo("embedding", Float, "N", 1, 4)]));

    /// <summary>A valid model whose only input is not an image: pixels [N,3,8] → Flatten → [N,24].</summary>
    public static byte[] ThreeDimensionalInput() => Model(Graph(
        "not_an_image",
        [Node("Flatten", [InputName], ["embedding"], IntAttribute("axis", 1))],
        [],
        [ValueInfo(InputName, Float, "N", 3, 8)],
        [ValueInfo("embedding", Float, "N", 24)]));

    /// <summary>A grayscale encoder: pixels [N,1,8,8] → GlobalAveragePool → Flatten → [N,1].</summary>
    public static byte[] SingleChannelInput() => Model(Graph(
        "grayscale",
        [
            Node("GlobalAveragePool", [InputName], ["pooled"]),
            Node("Flatten", ["pooled"], ["embedding"], IntAttribute("axis", 1)),
        ],
        [],
        [ValueInfo(InputName, Float, "N", 1, 8, 8)],
        [ValueInfo("embedding", Float, "N", 1)]));

    /// <summary>An encoder taking integer pixels: pixels int64 [N,3,8,8] → Cast(to=FLOAT) → GlobalAveragePool → Flatten.</summary>
    public static byte[] IntegerInput() => Model(Graph(
        "integer_pixels",
        [
            Node("Cast", [InputName], ["as_float"], IntAttribute("to", Float)),
            Node("GlobalAveragePool", ["as_float"], ["pooled"]),
            Node("Flatten", ["pooled"], ["embedding"], IntAttribute("axis", 1)),
        ],
        [],
        [ValueInfo(InputName, OnnxModelWriter.Int64, "N", 3, 8, 8)],
        [ValueInfo("embedding", Float, "N", 3)]));
}
