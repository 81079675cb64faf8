using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AttributionExplorer.Precompute.Embeddings;

/// <summary>Preprocessing of a CLIP-style image encoder: short side resized to the model's input size and center-cropped
/// (the same geometry as the segmentation inputs), then normalized with CLIP's statistics unless told otherwise.</summary>
public sealed record OnnxEncoderOptions(int? ImageSize = null, float[]? Mean = null, float[]? Std = null)
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];
}

/// <summary>Embeds images with a user-supplied ONNX image encoder (e.g. a CLIP visual tower exported to ONNX): one
/// float input [N,3,H,W], first output [N,D] (or [N,1,D]); embeddings are L2-normalized.</summary>
public sealed class OnnxImageEncoder : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly int size;
    private readonly bool fixedBatch;
    private readonly float[] mean, std;
    private readonly string modelPath;

    public OnnxImageEncoder(string modelPath, OnnxEncoderOptions options)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: ONNX model not found (Clip.OnnxModelPath)", modelPath);
        this.modelPath = modelPath;
        try { session = new InferenceSession(modelPath); }
        catch (OnnxRuntimeException e) { throw new InvalidDataException($"{modelPath}: not a loadable ONNX model: {e.Message}", e); }
        if (session.InputMetadata.Count != 1)
            throw new InvalidDataException($"{modelPath}: expected one image input, the model has {session.InputMetadata.Count} ({string.Join(", ", session.InputMetadata.Keys)})");
        var (name, meta) = session.InputMetadata.Single();
        var dims = meta.Dimensions;
        if (meta.ElementType != typeof(float) || dims.Length != 4 || dims[1] != 3 || (dims[2] > 0 && dims[3] > 0 && dims[2] != dims[3]))
            throw new InvalidDataException($"{modelPath}: input '{name}' has shape [{string.Join(",", dims)}] of {meta.ElementType.Name}, expected float [N,3,H,W] with H = W");
        inputName = name;
        fixedBatch = dims[0] > 0;
        if (fixedBatch && dims[0] != 1) throw new InvalidDataException($"{modelPath}: input '{name}' has a fixed batch of {dims[0]}; export it with a dynamic or unit batch");
        size = dims[2] > 0 ? dims[2] : options.ImageSize
            ?? throw new InvalidDataException($"{modelPath}: input '{name}' has dynamic height/width; set the image size");
        mean = options.Mean ?? OnnxEncoderOptions.ClipMean;
        std = options.Std ?? OnnxEncoderOptions.ClipStd;
        EmbeddingDim = session.OutputMetadata.First().Value.Dimensions[^1];
    }

    public int EmbeddingDim { get; private set; }
    public int ImageSize => size;

    public float[][] Encode(IReadOnlyList<string> imagePaths, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        if (fixedBatch) batchSize = 1;
        var result = new float[imagePaths.Count][];
        int plane = 3 * size * size;
        for (int start = 0; start < imagePaths.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, imagePaths.Count - start);
            var data = new float[count * plane];
            for (int i = 0; i < count; i++) ImagePixelLoader.Load(imagePaths[start + i], size, mean, std).CopyTo(data, i * plane);
            var input = new DenseTensor<float>(data, [count, 3, size, size]);
            using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
            var output = outputs.First().AsTensor<float>();
            var flat = output.ToArray();
            if (flat.Length % count != 0) throw new InvalidDataException($"{modelPath}: output of {flat.Length} values for {count} images");
            int d = flat.Length / count;
            EmbeddingDim = d;
            for (int i = 0; i < count; i++) result[start + i] = CosineSimilarity.Normalized(flat.AsSpan(i * d, d));
        }
        return result;
    }

    public void Dispose() => session.Dispose();
}
