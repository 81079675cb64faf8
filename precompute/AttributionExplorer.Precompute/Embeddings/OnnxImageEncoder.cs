using Microsoft.ML.OnnxRuntime;

namespace AttributionExplorer.Precompute.Embeddings;

/// <summary>Image embeddings from a user-supplied ONNX image encoder (e.g. an exported CLIP visual tower) with one
/// float input [N,3,S,S] and a first output [N,D] or [N,1,D]. Embeddings are L2-normalized.</summary>
public sealed class OnnxImageEncoder : IDisposable
{
    private readonly string _modelPath;
    private readonly InferenceSession _session;
    private readonly OnnxEncoderOptions _options;
    private readonly string _inputName;
    private readonly string _outputName;
    /// <summary>Batch size fixed by the model, or null when the batch dimension is dynamic.</summary>
    private readonly int? _fixedBatch;

    public int ImageSize { get; }
    public int EmbeddingDim { get; }

    public OnnxImageEncoder(string modelPath, OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: ONNX model not found", modelPath);
        if (options.Mean.Length != 3 || options.Std.Length != 3 || options.Std.Any(s => !(s > 0)))
            throw new ArgumentException($"{nameof(OnnxEncoderOptions)}: Mean and Std need 3 values each, Std positive");
        _modelPath = modelPath;
        _options = options;

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads };
        try
        {
            _session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{modelPath}: ONNX Runtime cannot load the model: {e.Message}", e);
        }

        try
        {
            (_inputName, _fixedBatch, ImageSize) = InspectInput();
            (_outputName, int? fixedDim) = InspectOutput();
            EmbeddingDim = fixedDim ?? Encode(new float[(_fixedBatch ?? 1) * 3 * ImageSize * ImageSize], _fixedBatch ?? 1)[0].Length;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Embeds the images in order, <paramref name="batchSize"/> at a time (the model's own batch size when it
    /// fixes one; a short last batch is padded with zeros and the padding's outputs dropped).</summary>
    public float[][] Encode(IReadOnlyList<string> imagePaths, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int batch = _fixedBatch ?? batchSize;
        int imageFloats = 3 * ImageSize * ImageSize;
        var result = new float[imagePaths.Count][];
        for (int start = 0; start < imagePaths.Count; start += batch)
        {
            int count = Math.Min(batch, imagePaths.Count - start);
            var pixels = new float[(_fixedBatch ?? count) * imageFloats];
            for (int i = 0; i < count; i++)
                ClipImagePreprocessor.Load(imagePaths[start + i], ImageSize, _options.Mean, _options.Std,
                    pixels.AsSpan(i * imageFloats, imageFloats));
            var embeddings = Encode(pixels, _fixedBatch ?? count);
            for (int i = 0; i < count; i++) result[start + i] = embeddings[i];
        }
        return result;
    }

    private float[][] Encode(float[] pixels, int batch)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, 3, ImageSize, ImageSize]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        var output = outputs[0];
        var shape = output.GetTensorTypeAndShape().Shape;
        bool matrix = shape.Length == 2 || (shape.Length == 3 && shape[1] == 1);
        if (!matrix || shape[0] != batch)
            throw new InvalidDataException(
                $"{_modelPath}: output '{_outputName}' has shape [{string.Join(",", shape)}] for a batch of {batch}, expected [N,D] or [N,1,D]");
        int dim = (int)shape[^1];
        var values = output.GetTensorDataAsSpan<float>();
        var rows = new float[batch][];
        for (int n = 0; n < batch; n++) rows[n] = L2Normalized(values.Slice(n * dim, dim));
        return rows;
    }

    private static float[] L2Normalized(ReadOnlySpan<float> v)
    {
        double sumSquares = 0;
        foreach (var x in v) sumSquares += (double)x * x;
        // The same floor as torch.nn.functional.normalize: an all-zero output stays zero instead of becoming NaN.
        double scale = 1.0 / Math.Max(Math.Sqrt(sumSquares), 1e-12);
        var result = new float[v.Length];
        for (int i = 0; i < v.Length; i++) result[i] = (float)(v[i] * scale);
        return result;
    }

    private (string Name, int? FixedBatch, int ImageSize) InspectInput()
    {
        var inputs = _session.InputMetadata;
        if (inputs.Count != 1)
            throw new InvalidDataException(
                $"{_modelPath}: model has {inputs.Count} inputs ({string.Join(", ", inputs.Keys)}), expected one image input [N,3,H,W]");
        var (name, meta) = inputs.First();
        var dims = meta.Dimensions;
        if (!meta.IsTensor || dims.Length != 4 || dims[1] != 3)
            throw new InvalidDataException($"{_modelPath}: input '{name}' has shape {FormatShape(meta)}, expected [N,3,H,W]");
        if (meta.ElementType != typeof(float))
            throw new InvalidDataException(
                $"{_modelPath}: input '{name}' has element type {meta.ElementType?.Name}, expected float [N,3,H,W]");

        int height = dims[2], width = dims[3];
        int size;
        if (height > 0 && width > 0)
        {
            if (height != width)
                throw new InvalidDataException($"{_modelPath}: input '{name}' has shape {FormatShape(meta)}, expected square H = W");
            if (_options.ImageSize is { } requested && requested != height)
                throw new ArgumentException(
                    $"{nameof(OnnxEncoderOptions)}.{nameof(OnnxEncoderOptions.ImageSize)} is {requested} but {_modelPath} fixes input '{name}' to {height}×{width}");
            size = height;
        }
        else if (height > 0 || width > 0)
            throw new InvalidDataException(
                $"{_modelPath}: input '{name}' has shape {FormatShape(meta)}: only one of H and W is fixed");
        else
            size = _options.ImageSize is > 0 and var s ? s : throw new ArgumentException(
                $"{_modelPath}: input '{name}' has dynamic spatial size {FormatShape(meta)}; set {nameof(OnnxEncoderOptions)}.{nameof(OnnxEncoderOptions.ImageSize)}");
        return (name, dims[0] > 0 ? dims[0] : null, size);
    }

    private (string Name, int? FixedDim) InspectOutput()
    {
        var (name, meta) = _session.OutputMetadata.First();
        var dims = meta.IsTensor ? meta.Dimensions : [];
        bool shapeOk = dims.Length == 2 || (dims.Length == 3 && dims[1] is 1 or -1);
        if (!meta.IsTensor || meta.ElementType != typeof(float) || !shapeOk)
            throw new InvalidDataException(
                $"{_modelPath}: first output '{name}' has shape {FormatShape(meta)}, expected float [N,D] or [N,1,D]");
        return (name, dims[^1] > 0 ? dims[^1] : null);
    }

    private static string FormatShape(NodeMetadata meta)
    {
        if (!meta.IsTensor) return $"(not a tensor: {meta.OnnxValueType})";
        var symbolic = meta.SymbolicDimensions;
        return "[" + string.Join(",", meta.Dimensions.Select((d, i) =>
            d > 0 ? d.ToString() : i < symbolic.Length && symbolic[i].Length > 0 ? symbolic[i] : "?")) + "]";
    }

    public void Dispose() => _session.Dispose();
}
