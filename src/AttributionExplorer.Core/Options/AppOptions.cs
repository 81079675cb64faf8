using AttributionExplorer.Core.Training;
using AttributionExplorer.Core.Images;

namespace AttributionExplorer.Core.Options;

/// <summary>The "AttributionExplorer" section of appsettings.json, shared by the web app and the precompute worker.
/// Relative paths are resolved against the folder holding appsettings.json.</summary>
public sealed class AppOptions
{
    public const string Section = "AttributionExplorer";
    public string DatabasePath { get; set; } = "data/attribution.db";
    /// <summary>SQLite (DatabasePath) or PostgreSQL (a connection string).</summary>
    public StorageOptions Storage { get; set; } = new();
    public string DataRoot { get; set; } = "data";
    /// <summary>"cpu" or "cuda"/"cuda:N" for training, TRAK and evaluations (CUDA needs a CUDA LibTorchSharp; README "GPU").</summary>
    public string Device { get; set; } = "cpu";
    public ModelOptions Model { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();
    public TrakOptions Trak { get; set; } = new();
    public SimilarityOptions Similarity { get; set; } = new();
    public ClipOptions Clip { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public EvaluationOptions Evaluation { get; set; } = new();
    /// <summary>Pixel and byte limits checked from image headers before any decode.</summary>
    public ImageLimitOptions ImageLimits { get; set; } = new();
    /// <summary>Sign-in, sessions, cross-origin callers and rate limits of the web app.</summary>
    public SecurityOptions Security { get; set; } = new();

    /// <summary>An instance whose array defaults are empty: Microsoft.Extensions.Configuration appends bound array
    /// elements to existing ones, so arrays must start empty and get their defaults after binding.</summary>
    public static AppOptions CreateForBinding()
    {
        var options = new AppOptions();
        foreach (var m in new[] { options.Model, options.Demo.Model }) m.AsppRates = [];
        foreach (var t in new[] { options.Training, options.Demo.Training }) t.Seeds = [];
        options.Evaluation.ClearArraysForBinding();
        return options;
    }

    /// <summary>Fills arrays left empty by configuration with their defaults.</summary>
    public AppOptions WithDefaultsForEmptyArrays()
    {
        foreach (var m in new[] { Model, Demo.Model }) if (m.AsppRates.Length == 0) m.AsppRates = [1, 2, 4];
        if (Training.Seeds.Length == 0) Training.Seeds = [0, 1];
        if (Demo.Training.Seeds.Length == 0) Demo.Training.Seeds = [0, 1, 2, 3];
        Evaluation.FillEmptyArrays();
        return this;
    }
}

/// <summary>DeepLabV3-style network size.</summary>
public sealed class ModelOptions
{
    /// <summary>Side of the square model input: images are resized (short side) and center-cropped to it.</summary>
    public int ImageSize { get; set; } = 224;
    /// <summary>Channels of the first backbone stage; later stages double it.</summary>
    public int BaseWidth { get; set; } = 32;
    /// <summary>Residual blocks per backbone stage.</summary>
    public int BlocksPerStage { get; set; } = 2;
    public int AsppChannels { get; set; } = 64;
    public int[] AsppRates { get; set; } = [1, 2, 4];
}

public sealed class TrainingOptions
{
    public int Epochs { get; set; } = 30;
    public int BatchSize { get; set; } = 64;
    public double LearningRate { get; set; } = 1e-4;
    public double WeightDecay { get; set; } = 5e-4;
    /// <summary>Reduce-on-plateau: factor and patience (epochs) on the training loss.</summary>
    public double PlateauFactor { get; set; } = 0.5;
    public int PlateauPatience { get; set; } = 3;
    /// <summary>"plateau" (reduce-on-plateau with the two settings above) or "cosine" (annealed per batch to zero,
    /// which the plateau settings do not affect); see <see cref="LearningRateSchedules"/>.</summary>
    public string Schedule { get; set; } = LearningRateSchedules.Plateau;
    /// <summary>"adam" or "sgd" (<see cref="Optimizers"/>); SGD uses <see cref="Momentum"/> and usually a learning
    /// rate 10–50× Adam's.</summary>
    public string Optimizer { get; set; } = Optimizers.Adam;
    /// <summary>Epochs over which the rate rises linearly from 1/batches to the scheduled rate (0 = none).</summary>
    public int WarmupEpochs { get; set; }
    /// <summary>Heavy-ball momentum of SGD (ignored by Adam).</summary>
    public double Momentum { get; set; } = 0.9;
    public bool HorizontalFlip { get; set; } = true;
    /// <summary>One training run per seed; TRAK ensembles over all of their checkpoints.</summary>
    public int[] Seeds { get; set; } = [0, 1];
    /// <summary>Checkpoints kept per run: the weights at the end of each of the last N epochs (1 = the final weights
    /// only). Trajectory checkpoints add ensemble members at no extra training.</summary>
    public int TrajectoryEpochs { get; set; } = 1;
    public int Threads { get; set; } = 0;

    /// <summary>The same schedule with another number of epochs (arrays are shared, not copied).</summary>
    public TrainingOptions WithEpochs(int epochs)
    {
        var copy = (TrainingOptions)MemberwiseClone();
        copy.Epochs = epochs;
        return copy;
    }
}

public sealed class TrakOptions
{
    public int ProjectionDim { get; set; } = 2048;
    /// <summary>"gaussian" or "rademacher" (a dense random matrix over exact per-example gradients), "srht" (the
    /// subsampled randomized Hadamard transform of exact per-example gradients: no matrix, O(p log p) per example) or
    /// "structured" (LoGra-style Kronecker factors per layer, from one batched backward; README, Throughput).</summary>
    public string ProjectionKind { get; set; } = "srht";
    public long ProjectionSeed { get; set; } = 0;
    /// <summary>Ridge added to ΦᵀΦ before inversion. Relative to the mean diagonal of ΦᵀΦ.</summary>
    public double Lambda { get; set; } = 1e-3;
    /// <summary>"float16" or "float32" for stored score rows.</summary>
    public string ScoreDtype { get; set; } = "float16";
    public int TopK { get; set; } = 50;
    public int GradientBatchSize { get; set; } = 16;
    /// <summary>"loop" (one autograd.grad per example, the oracle) or "batched" (one forward/backward per batch).</summary>
    public string GradientMethod { get; set; } = "loop";
    /// <summary>Training images per featurize run (0 = all in one): ranges are separate, resumable runs.</summary>
    public int FeaturizeRangeSize { get; set; } = 0;
}

public sealed record DemoOptions
{
    public int Seed { get; set; } = 1234;
    public int TrainImages { get; set; } = 600;
    public int ValImages { get; set; } = 48;
    /// <summary>Side of generated images (pixels).</summary>
    public int ImageSize { get; set; } = 96;
    /// <summary>Fraction of training images that receive a planted label error.</summary>
    public double LabelErrorRate { get; set; } = 0.08;
    /// <summary>Seed of the error planting, independent of <see cref="Seed"/>: the same scenes get different plantings
    /// under different planting seeds. Unset = the historical demo (errors drawn from the scene stream, the three
    /// original kinds), byte for byte.</summary>
    public int? PlantingSeed { get; set; }
    /// <summary>Comma-separated kinds to plant in round robin (PlantedErrorKinds); empty = all kinds when a planting
    /// seed is set. Only used with <see cref="PlantingSeed"/>.</summary>
    public string ErrorKinds { get; set; } = "";
    /// <summary>Model, training and TRAK sizes used by the demo, chosen for a 2-core CPU.</summary>
    public ModelOptions Model { get; set; } = new() { ImageSize = 64, BaseWidth = 16, BlocksPerStage = 1, AsppChannels = 32 };
    /// <summary>A sound TRAK regime on 2 cores (docs/science-notes.md): n/k = 600/128 ≈ 4.7, 4 runs × the last 2
    /// epochs = 8 checkpoints, 8 epochs (long enough to learn the scenes, short enough not to memorize the errors).
    /// One libtorch thread until a two-thread demo is measured (the two-thread crashes were a TorchSharp Scalar
    /// lifetime bug, now mitigated: README, "Known problems").</summary>
    public TrainingOptions Training { get; set; } = new() { Epochs = 8, BatchSize = 16, LearningRate = 2e-3, PlateauPatience = 2, TrajectoryEpochs = 2 };
    /// <summary>Structured projection: about 3× faster featurization than the dense one, and on the demo the queue's
    /// figures were as good or better (README, "Why these sizes").</summary>
    public TrakOptions Trak { get; set; } = new() { ProjectionDim = 128, ProjectionKind = "structured" };
    public SimilarityOptions Similarity { get; set; } = new() { ImageSize = 40, EncoderWidth = 16, HiddenDim = 256, QueueSize = 256, Epochs = 5, BatchSize = 32, LearningRate = 0.03 };
}

/// <summary>Self-supervised MoCo v2 encoder (seed 001) and the Exemplar-SVM / cosine rankings computed in its embedding.</summary>
public sealed class SimilarityOptions
{
    public int ImageSize { get; set; } = 224;
    public int EncoderWidth { get; set; } = 32;
    public int EmbeddingDim { get; set; } = 128;
    public int HiddenDim { get; set; } = 512;
    /// <summary>Negatives kept from earlier batches; keep it well below the training-set size so stale copies of the
    /// same image rarely act as negatives.</summary>
    public int QueueSize { get; set; } = 4096;
    public double Momentum { get; set; } = 0.99;
    public double Temperature { get; set; } = 0.1;
    public int Epochs { get; set; } = 200;
    public int BatchSize { get; set; } = 128;
    public double LearningRate { get; set; } = 0.06;
    public int Seed { get; set; } = 0;
    /// <summary>LinearSVC settings of the seed's reference: C = 0.1, balanced class weights, squared hinge, intercept.</summary>
    public double EsvmC { get; set; } = 0.1;
    public double EsvmTolerance { get; set; } = 1e-6;
    public int EsvmMaxIterations { get; set; } = 10000;
    public bool L2NormalizeEmbeddings { get; set; } = true;
    public int TopK { get; set; } = 50;
}

/// <summary>CLIP (or any image encoder) similarity. Either an ONNX image encoder, or embeddings computed elsewhere:
/// a 2-D .npy matrix (float16/32/64) plus a text file with one image file name or COCO image id per row.
/// Nothing is configured by default: no CLIP weights ship with AttributionExplorer.</summary>
public sealed class ClipOptions
{
    public string OnnxModelPath { get; set; } = "";
    public string EmbeddingsNpyPath { get; set; } = "";
    public string EmbeddingIdsPath { get; set; } = "";
    public int BatchSize { get; set; } = 32;

    public bool IsConfigured => OnnxModelPath.Length > 0 || EmbeddingsNpyPath.Length > 0;

    public const string HowToConfigure =
        "Set AttributionExplorer:Clip:OnnxModelPath in appsettings.json to an ONNX image encoder (input [N,3,H,W], output [N,D]), " +
        "or set Clip:EmbeddingsNpyPath and Clip:EmbeddingIdsPath to a .npy matrix with one row per image and a text file naming each row's image " +
        "(file name or COCO id); then run `precompute similarity --dataset NAME` (or `precompute demo`).";
}
