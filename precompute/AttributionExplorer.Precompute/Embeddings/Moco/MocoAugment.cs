using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Embeddings.Moco;

/// <summary>MoCo v2 views of a batch of ImageNet-normalized images, drawn from a seeded <see cref="Random"/>: random
/// resized crop (area 0.2–1, aspect 3/4–4/3) with horizontal flip via one affine resampling, colour jitter
/// (brightness, contrast, saturation ±0.4) with p = 0.8, grayscale with p = 0.2.</summary>
public static class MocoAugment
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public static Tensor View(Tensor images, Random random)
    {
        using var scope = torch.NewDisposeScope();
        int b = (int)images.shape[0];
        var theta = new float[b * 6];
        var brightness = new float[b];
        var contrast = new float[b];
        var saturation = new float[b];
        var gray = new float[b];
        for (int i = 0; i < b; i++)
        {
            double area = 0.2 + 0.8 * random.NextDouble();
            double aspect = Math.Exp(Math.Log(3.0 / 4) + (Math.Log(4.0 / 3) - Math.Log(3.0 / 4)) * random.NextDouble());
            double w = Math.Min(1, Math.Sqrt(area * aspect)), h = Math.Min(1, Math.Sqrt(area / aspect));
            double cx = (1 - w) * (2 * random.NextDouble() - 1), cy = (1 - h) * (2 * random.NextDouble() - 1);
            double flip = random.NextDouble() < 0.5 ? -1 : 1;
            theta[i * 6 + 0] = (float)(w * flip); theta[i * 6 + 2] = (float)cx;
            theta[i * 6 + 4] = (float)h; theta[i * 6 + 5] = (float)cy;
            bool jitter = random.NextDouble() < 0.8;
            brightness[i] = jitter ? (float)(0.6 + 0.8 * random.NextDouble()) : 1;
            contrast[i] = jitter ? (float)(0.6 + 0.8 * random.NextDouble()) : 1;
            saturation[i] = jitter ? (float)(0.6 + 0.8 * random.NextDouble()) : 1;
            gray[i] = random.NextDouble() < 0.2 ? 1 : 0;
        }
        var grid = nn.functional.affine_grid(torch.tensor(theta, [b, 2, 3]), [b, images.shape[1], images.shape[2], images.shape[3]], align_corners: false);
        var cropped = nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Reflection, align_corners: false);

        var mean = torch.tensor(Mean).view(1, 3, 1, 1);
        var std = torch.tensor(Std).view(1, 3, 1, 1);
        var rgb = cropped * std + mean;
        static Tensor PerSample(float[] v) => torch.tensor(v).view(-1, 1, 1, 1);
        rgb = (rgb * PerSample(brightness)).clamp(0, 1);
        var luma = Luma(rgb);
        rgb = ((rgb - luma.mean([1, 2, 3], keepdim: true)) * PerSample(contrast) + luma.mean([1, 2, 3], keepdim: true)).clamp(0, 1);
        luma = Luma(rgb);
        rgb = ((rgb - luma) * PerSample(saturation) + luma).clamp(0, 1);
        var g = PerSample(gray);
        rgb = rgb * (1 - g) + Luma(rgb).expand_as(rgb) * g;
        return ((rgb - mean) / std).MoveToOuterDisposeScope();
    }

    private static Tensor Luma(Tensor rgb) => (0.299f * rgb[.., 0..1] + 0.587f * rgb[.., 1..2] + 0.114f * rgb[.., 2..3]);
}
