using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Demo;
using AttributionExplorer.Precompute.Embeddings.Moco;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

public class MocoTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-moco").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void InfoNceIsMinusLogSoftmaxOfThePositive()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.tensor(new float[] { 1, 0, 0.6f, 0.8f }, [2, 2]);
        var k = torch.tensor(new float[] { 0.8f, 0.6f, 0, 1 }, [2, 2]);
        var queue = torch.tensor(new float[] { 0, 1, -1, 0, 0.6f, -0.8f }, [3, 2]);
        double expected = 0;
        float[][] qs = [[1, 0], [0.6f, 0.8f]], ks = [[0.8f, 0.6f], [0, 1]], negatives = [[0, 1], [-1, 0], [0.6f, -0.8f]];
        for (int i = 0; i < 2; i++)
        {
            double Dot(float[] a, float[] b) => a[0] * b[0] + a[1] * b[1];
            double pos = Math.Exp(Dot(qs[i], ks[i]) / 0.1);
            double all = pos + negatives.Sum(n => Math.Exp(Dot(qs[i], n) / 0.1));
            expected += -Math.Log(pos / all) / 2;
        }
        Assert.Equal(expected, InfoNce.Loss(q, k, queue, 0.1).item<float>(), 4);
    }

    [Fact]
    public void MomentumUpdateIsTheExactConvexCombinationAndQueueWrapsAround()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var query = new MocoEncoder(4, 8, 3);
        using var key = new MocoEncoder(4, 8, 3);
        var before = key.parameters().Select(p => p.detach().clone()).ToList();
        MocoTrainer.MomentumUpdate(key, query, 0.9);
        foreach (var ((pk, old), pq) in key.parameters().Zip(before).Zip(query.parameters()))
            Assert.True(pk.allclose(old * 0.9 + pq * 0.1, 1e-6, 1e-7));

        var queue = torch.zeros(5, 2);
        long pointer = MocoTrainer.Enqueue(queue, torch.ones(3, 2), 3);
        Assert.Equal(1, pointer);
        Assert.Equal(new float[] { 1, 1, 0, 0, 0, 0, 1, 1, 1, 1 }, queue.data<float>().ToArray());
    }

    [Fact]
    public void AugmentationIsSeededShapedAndFinite()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var images = torch.randn(4, 3, 16, 16);
        var a = MocoAugment.View(images, new Random(3));
        var b = MocoAugment.View(images, new Random(3));
        var c = MocoAugment.View(images, new Random(4));
        Assert.Equal(images.shape, a.shape);
        Assert.True(a.isfinite().all().item<bool>());
        Assert.True(a.allclose(b, 0, 0));
        Assert.False(a.allclose(c, 1e-3, 1e-3));
    }

    [Fact]
    public void OnTheDemoLossFallsAndTwoViewsOfAnImageAreCloserThanDifferentImages()
    {
        var files = DemoDatasetGenerator.Generate(new DemoOptions { Seed = 11, TrainImages = 48, ValImages = 4, ImageSize = 48, LabelErrorRate = 0 }, Path.Combine(root, "demo"));
        const int size = 32;
        var examples = Directory.GetFiles(files.ImagesDir, "*.png", SearchOption.AllDirectories).Order().Take(48)
            .Select((path, i) => new SegmentationExample(i, path, new byte[size * size])).ToList();
        var source = new InMemorySegmentationSource(examples, 2, size);
        var settings = new MocoSettings(Width: 8, HiddenDim: 32, EmbeddingDim: 16, QueueSize: 32, Epochs: 40, BatchSize: 16, LearningRate: 0.05, Seed: 3);

        var result = MocoTrainer.Train(source, settings);
        using var encoder = result.Encoder;
        // Epoch 1 starts with a queue of random vectors (easy negatives); from epoch 2 the queue holds real keys.
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[1] - 0.2, string.Join(", ", result.EpochLosses));

        using var scope = torch.NewDisposeScope();
        var (images, _) = source.Load(0, source.Count);
        encoder.eval();
        Tensor v1, v2;
        using (torch.no_grad())
        {
            v1 = nn.functional.normalize(encoder.Features(MocoAugment.View(images, new Random(100))), dim: 1);
            v2 = nn.functional.normalize(encoder.Features(MocoAugment.View(images, new Random(200))), dim: 1);
        }
        var similarity = v1.matmul(v2.t());
        double same = similarity.diagonal().mean().item<float>();
        double different = (similarity.sum().item<float>() - similarity.diagonal().sum().item<float>()) / (source.Count * (source.Count - 1));
        Assert.True(same > different + 0.05, $"same image {same:F3} vs different images {different:F3}");

        var embeddings = MocoEmbedder.Embed(encoder, source, batchSize: 20);
        Assert.Equal(source.Count, embeddings.Length);
        Assert.All(embeddings, e => Assert.Equal(1, Math.Sqrt(e.Sum(x => (double)x * x)), 4));
        Assert.Equal(1, CosineSimilarity.Between(embeddings[0], embeddings[0]), 5);
    }
}
