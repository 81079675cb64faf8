using AttributionExplorer.Precompute.Embeddings;
using SkiaSharp;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

public class OnnxImageEncoderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-onnx").FullName;
    private static readonly float[] W = [1, 0, 0.5f, -1, 0, 2, 0.5f, 0, 0, 0, 1, 3];   // [3,4] row-major

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>[N,3,8,8] → GlobalAveragePool → Flatten → MatMul W[3,4] → [N,4].</summary>
    private string PoolingModel(long batch = 0, long side = 8)
    {
        var bytes = OnnxModelWriter.Model(
            [
                OnnxModelWriter.Node("GlobalAveragePool", ["pixels"], ["pooled"]),
                OnnxModelWriter.Node("Flatten", ["pooled"], ["flat"], OnnxModelWriter.IntAttribute("axis", 1)),
                OnnxModelWriter.Node("MatMul", ["flat", "W"], ["embedding"]),
            ],
            [OnnxModelWriter.FloatInitializer("W", [3, 4], W)],
            OnnxModelWriter.FloatValue("pixels", batch, 3, side, side),
            OnnxModelWriter.FloatValue("embedding", batch, 4));
        string path = Path.Combine(dir, $"pool-{batch}-{side}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string SolidPng(string name, SKColor color, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        string path = Path.Combine(dir, name);
        using var file = File.Create(path);
        bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
        return path;
    }

    /// <summary>A solid image normalizes to one value per channel whatever the resizing, so the expected embedding is
    /// ((rgb/255 − mean)/std)·W, L2-normalized, computed here by hand.</summary>
    private static double[] Expected(SKColor c)
    {
        double[] rgb = [c.Red, c.Green, c.Blue];
        var x = Enumerable.Range(0, 3).Select(i => (rgb[i] / 255 - OnnxEncoderOptions.ClipMean[i]) / OnnxEncoderOptions.ClipStd[i]).ToArray();
        var e = Enumerable.Range(0, 4).Select(j => Enumerable.Range(0, 3).Sum(i => x[i] * W[i * 4 + j])).ToArray();
        double norm = Math.Sqrt(e.Sum(v => v * v));
        return e.Select(v => v / norm).ToArray();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    public void EmbedsImagesThroughTheModelWithClipPreprocessing(long batch)
    {
        SKColor[] colors = [new(200, 30, 90), new(10, 240, 120), new(128, 128, 128)];
        var paths = colors.Select((c, i) => SolidPng($"c{i}.png", c, 20 + 7 * i, 16)).ToList();
        using var encoder = new OnnxImageEncoder(PoolingModel(batch), new OnnxEncoderOptions());
        Assert.Equal(8, encoder.ImageSize);
        Assert.Equal(4, encoder.EmbeddingDim);
        var embeddings = encoder.Encode(paths, batchSize: 2);
        for (int i = 0; i < colors.Length; i++)
        {
            var expected = Expected(colors[i]);
            for (int j = 0; j < 4; j++) Assert.Equal(expected[j], embeddings[i][j], 4);
        }
    }

    [Fact]
    public void ClearErrorsForMissingFilesWrongInputsAndBadImages()
    {
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => new OnnxImageEncoder(Path.Combine(dir, "none.onnx"), new OnnxEncoderOptions())).Message);

        string flat = Path.Combine(dir, "flat.onnx");
        File.WriteAllBytes(flat, OnnxModelWriter.Model([OnnxModelWriter.Node("Identity", ["x"], ["y"])], [],
            OnnxModelWriter.FloatValue("x", 0, 5), OnnxModelWriter.FloatValue("y", 0, 5)));
        var e = Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(flat, new OnnxEncoderOptions()));
        Assert.Contains("input 'x' has shape [-1,5]", e.Message);
        Assert.Contains(flat, e.Message);

        string garbage = Path.Combine(dir, "garbage.onnx");
        File.WriteAllText(garbage, "definitely not protobuf");
        Assert.Contains("not a loadable ONNX model", Assert.Throws<InvalidDataException>(() => new OnnxImageEncoder(garbage, new OnnxEncoderOptions())).Message);

        string notImage = Path.Combine(dir, "note.png");
        File.WriteAllText(notImage, "text");
        using var encoder = new OnnxImageEncoder(PoolingModel(), new OnnxEncoderOptions());
        Assert.Contains("not a decodable image", Assert.Throws<InvalidDataException>(() => encoder.Encode([notImage], 1)).Message);
    }
}
