using AttributionExplorer.Precompute.Embeddings;
using SkiaSharp;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

public sealed class OnnxImageEncoderTests : IDisposable
{
    private static readonly SKColor Red = new(200, 30, 90), Sky = new(20, 180, 255), White = new(255, 255, 255),
        Green = new(0, 128, 64), Pink = new(250, 5, 100), Mint = new(10, 250, 128), Brown = new(77, 66, 55);

    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-encoder-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteModel(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WritePng(string name, int width, int height, Func<int, int, SKColor> color)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, color(x, y));
        var path = Path.Combine(_dir, name);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>Test images with the 8×8 center crop each must yield, known without resampling: either the image is
    /// already 8 pixels on its short side, or it is a single color.</summary>
    private (string[] Paths, SKColor[][] Crops) WriteImages()
    {
        var halves = WritePng("halves.png", 8, 8, (x, _) => x < 4 ? Red : Sky);
        // 16×8: the crop keeps columns 4..11; the white side columns must not show.
        var wide = WritePng("wide.png", 16, 8, (x, y) => x is < 4 or >= 12 ? White : y < 4 ? Green : Pink);
        var tall = WritePng("tall.png", 24, 48, (_, _) => Mint);
        var small = WritePng("small.png", 4, 4, (_, _) => Brown);
        SKColor[] Crop(Func<int, int, SKColor> color) =>
            [.. Enumerable.Range(0, 64).Select(i => color(i % 8, i / 8))];
        return ([halves, wide, tall, small],
        [
            Crop((x, _) => x < 4 ? Red : Sky),
            Crop((_, y) => y < 4 ? Green : Pink),
            Crop((_, _) => Mint),
            Crop((_, _) => Brown),
        ]);
    }

    /// <summary>The tiny models' function computed directly: per-channel mean of the normalized crop, times the
    /// projection matrix, L2-normalized.</summary>
    private static double[] ExpectedEmbedding(SKColor[] crop, float[] mean, float[] std)
    {
        var channelMeans = new double[3];
        foreach (var p in crop)
        {
            channelMeans[0] += (p.Red / 255.0 - mean[0]) / std[0];
            channelMeans[1] += (p.Green / 255.0 - mean[1]) / std[1];
            channelMeans[2] += (p.Blue / 255.0 - mean[2]) / std[2];
        }
        for (int c = 0; c < 3; c++) channelMeans[c] /= crop.Length;
        var embedding = new double[4];
        for (int j = 0; j < 4; j++)
        for (int c = 0; c < 3; c++) embedding[j] += channelMeans[c] * TinyEncoderModels.Projection[c, j];
        double norm = Math.Sqrt(embedding.Sum(v => v * v));
        return [.. embedding.Select(v => v / norm)];
    }

    private static void AssertEmbeddings(SKColor[][] crops, float[][] actual, OnnxEncoderOptions options)
    {
        Assert.Equal(crops.Length, actual.Length);
        for (int i = 0; i < crops.Length; i++)
        {
            var expected = ExpectedEmbedding(crops[i], options.Mean, options.Std);
            Assert.Equal(expected.Length, actual[i].Length);
            for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], actual[i][j], 1e-4);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void DynamicBatchModelMatchesTheClosedForm(int batchSize)
    {
        var model = WriteModel("gap.onnx", TinyEncoderModels.GlobalPoolFlatten("N", 8, 8));
        var (paths, crops) = WriteImages();
        var options = new OnnxEncoderOptions();
        using var encoder = new OnnxImageEncoder(model, options);

        var embeddings = encoder.Encode(paths, batchSize);

        Assert.Equal(4, encoder.EmbeddingDim);
        Assert.Equal(8, encoder.ImageSize);
        AssertEmbeddings(crops, embeddings, options);
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 1e-5));
    }

    [Fact]
    public void FixedBatchModelPadsTheLastBatch()
    {
        var model = WriteModel("reducemean.onnx", TinyEncoderModels.ReduceMean(3));
        var (paths, crops) = WriteImages();
        var options = new OnnxEncoderOptions();
        using var encoder = new OnnxImageEncoder(model, options);

        // 4 images through a model that only takes batches of 3: one full batch, one padded.
        AssertEmbeddings(crops, encoder.Encode(paths, batchSize: 2), options);
    }

    [Fact]
    public void TokenShapedOutputIsFlattened()
    {
        var model = WriteModel("token.onnx", TinyEncoderModels.TokenOutput());
        var (paths, crops) = WriteImages();
        var options = new OnnxEncoderOptions();
        using var encoder = new OnnxImageEncoder(model, options);

        Assert.Equal(4, encoder.EmbeddingDim);
        AssertEmbeddings(crops, encoder.Encode(paths, 2), options);
    }

    [Fact]
    public void DynamicSpatialSizeComesFromOptionsAndDynamicDimFromATrialRun()
    {
        var model = WriteModel("dynamic.onnx", TinyEncoderModels.GlobalPoolFlatten("N", "H", "W", outputDim: "D"));
        var (paths, crops) = WriteImages();
        var options = new OnnxEncoderOptions { ImageSize = 8, Mean = [0.5f, 0.25f, 0f], Std = [0.5f, 2f, 1f] };
        using var encoder = new OnnxImageEncoder(model, options);

        Assert.Equal(4, encoder.EmbeddingDim);
        AssertEmbeddings(crops, encoder.Encode(paths, 4), options);
    }

    [Fact]
    public void DynamicSpatialSizeWithoutOptionIsReported()
    {
        var model = WriteModel("dynamic.onnx", TinyEncoderModels.GlobalPoolFlatten("N", "H", "W"));

        var ex = Assert.Throws<ArgumentException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.Contains(model, ex.Message);
        Assert.Contains("[N,3,H,W]", ex.Message);
        Assert.Contains("ImageSize", ex.Message);
    }

    [Fact]
    public void ImageSizeContradictingTheModelIsReported()
    {
        var model = WriteModel("gap.onnx", TinyEncoderModels.GlobalPoolFlatten("N", 8, 8));

        var ex = Assert.Throws<ArgumentException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions { ImageSize = 224 }));
        Assert.Contains(model, ex.Message);
        Assert.Contains("224", ex.Message);
    }

    [Fact]
    public void MissingModelNamesThePath()
    {
        var model = Path.Combine(_dir, "absent.onnx");
        var ex = Assert.Throws<FileNotFoundException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.Contains(model, ex.Message);
    }

    [Fact]
    public void CorruptModelNamesThePath()
    {
        var model = WriteModel("corrupt.onnx", [0x08, 0x07, 0xFF, 0xFF, 0x12]);
        var ex = Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.StartsWith($"{model}: ONNX Runtime cannot load the model", ex.Message);
    }

    [Fact]
    public void ThreeDimensionalInputIsReportedWithItsShape()
    {
        var model = WriteModel("flat.onnx", TinyEncoderModels.ThreeDimensionalInput());

        var ex = Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.Equal($"{model}: input 'pixels' has shape [N,3,8], expected [N,3,H,W]", ex.Message);
    }

    [Fact]
    public void SingleChannelInputIsReportedWithItsShape()
    {
        var model = WriteModel("gray.onnx", TinyEncoderModels.SingleChannelInput());

        var ex = Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.Equal($"{model}: input 'pixels' has shape [N,1,8,8], expected [N,3,H,W]", ex.Message);
    }

    [Fact]
    public void IntegerInputIsReportedWithItsType()
    {
        var model = WriteModel("int.onnx", TinyEncoderModels.IntegerInput());

        var ex = Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(model, new OnnxEncoderOptions()));
        Assert.Equal($"{model}: input 'pixels' has element type Int64, expected float [N,3,H,W]", ex.Message);
    }

    [Fact]
    public void UndecodableImageNamesItsPath()
    {
        var model = WriteModel("gap.onnx", TinyEncoderModels.GlobalPoolFlatten("N", 8, 8));
        var (paths, _) = WriteImages();
        var broken = Path.Combine(_dir, "broken.png");
        File.WriteAllText(broken, "not a png");
        using var encoder = new OnnxImageEncoder(model, new OnnxEncoderOptions());

        var ex = Assert.Throws<InvalidDataException>(() => encoder.Encode([paths[0], broken], 2));
        Assert.Contains(broken, ex.Message);
        Assert.Contains("not a decodable image", ex.Message);
    }

    [Fact]
    public void MissingImageNamesItsPath()
    {
        var model = WriteModel("gap.onnx", TinyEncoderModels.GlobalPoolFlatten("N", 8, 8));
        var missing = Path.Combine(_dir, "missing.png");
        using var encoder = new OnnxImageEncoder(model, new OnnxEncoderOptions());

        var ex = Assert.Throws<FileNotFoundException>(() => encoder.Encode([missing], 1));
        Assert.Contains(missing, ex.Message);
    }
}
