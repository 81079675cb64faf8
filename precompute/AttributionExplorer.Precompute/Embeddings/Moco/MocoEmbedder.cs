using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Embeddings.Moco;

/// <summary>L2-normalized embeddings of un-augmented images in eval mode: the pooled backbone features by default (as
/// the seed's ESVM baseline uses), or the projection head's output.</summary>
public static class MocoEmbedder
{
    public static float[][] Embed(MocoEncoder encoder, ISegmentationSource images, int batchSize = 64, bool projectionHead = false)
    {
        encoder.eval();
        var result = new float[images.Count][];
        for (int start = 0; start < images.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            int count = Math.Min(batchSize, images.Count - start);
            var x = images.Load(start, count).Images;
            var z = nn.functional.normalize(projectionHead ? encoder.forward(x) : encoder.Features(x), dim: 1);
            int d = (int)z.shape[1];
            var flat = z.contiguous().data<float>().ToArray();
            for (int i = 0; i < count; i++) result[start + i] = flat.AsSpan(i * d, d).ToArray();
        }
        return result;
    }
}
