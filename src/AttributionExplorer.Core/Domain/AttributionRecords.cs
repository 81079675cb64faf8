namespace AttributionExplorer.Core.Domain;

public static class AttributionMethods
{
    public const string Trak = "trak";
    public const string Esvm = "esvm";
    public const string MocoCosine = "moco";
    public const string ClipCosine = "clip";

    public static readonly IReadOnlyList<string> All = [Trak, Esvm, MocoCosine, ClipCosine];
}

public static class TargetKinds
{
    public const string Image = "image";
    public const string Class = "class";
    public const string Object = "object";
    /// <summary>An on-demand region drawn by a user.</summary>
    public const string Region = "region";

    // Variants of the class target (issue 12): what "class" means is one of them (PluginRegistry.DefaultClassTarget).
    /// <summary>The seed's definition: every non-ignored pixel of the image is the binary task "is it class c".</summary>
    public const string ClassAllPixels = "class_all_pixels";
    /// <summary>The same binary task over the pixels labelled c only.</summary>
    public const string ClassLabelledPixels = "class_labelled_pixels";
    /// <summary>The same binary task over the pixels the checkpoint ensemble predicts as c.</summary>
    public const string ClassPredictedPixels = "class_predicted_pixels";
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Failed = "failed";
}

/// <summary>One attribution run: a method applied to all targets of one kind. Only complete runs are shown.
/// <see cref="ParametersJson"/> holds hyperparameters and seeds; <see cref="ParametersHash"/> identifies
/// identical reruns so completed work is skipped.</summary>
public sealed record AttributionRun(long Id, long DatasetId, string Method, string TargetKind, string Status,
    string ParametersJson, string ParametersHash, string TimingsJson, int TrainCount, DateTime StartedUtc, DateTime? FinishedUtc);

/// <summary>What is attributed: a held-out image, optionally narrowed to a class (COCO id) or an annotation.</summary>
/// <param name="SplitHalf">Spearman between this target's scores from two disjoint halves of the ensemble; null when the
/// run has no split-half (its <c>IRankingRunRepository.GetReliability</c> says why).</param>
public sealed record AttributionTarget(long Id, long RunId, long ImageId, string Kind, int? CategoryCocoId, long? AnnotationId, double? SplitHalf = null);

/// <summary>A target to be written, before it has a database id.</summary>
/// <param name="SplitHalf">Spearman between the target's scores from two disjoint halves of the ensemble, if measured.</param>
public sealed record NewTarget(long ImageId, string Kind, int? CategoryCocoId, long? AnnotationId, double? SplitHalf = null);

/// <summary>One training image's score for a target with its rank (1 = strongest in the given direction).</summary>
public sealed record Influencer(int Rank, long TrainImageId, float Score);

/// <summary>Mean score of a training image over all held-out targets of a run.</summary>
public sealed record OverallInfluence(long TrainImageId, float MeanScore, int Rank);

/// <summary>One annotation in an object detector's ranking (rank 1 = most suspect), with the image it belongs to.</summary>
public sealed record ObjectSuspicion(long AnnotationId, long TrainImageId, float Score, int Rank);

/// <summary>Where the k×n TRAK scoring matrix of one checkpoint of a run is stored.</summary>
public sealed record ScoringMatrixRecord(long RunId, int Position, long CheckpointId, int Rows, int Cols, string Path, string Sha256);

/// <summary>Agreement between two methods' rankings of the same logical target.</summary>
public sealed record RankAgreementRecord(long TargetA, long TargetB, double OverlapAt10, double OverlapAt50, double? SpearmanTop50Union, int Candidates);

/// <summary>A training image appearing in a target's top-k list: which target, which direction, at what rank and score.</summary>
public sealed record Appearance(AttributionTarget Target, bool Positive, int Rank, float Score);

/// <summary>Histogram of overall influence: <see cref="Planted"/> counts the planted label errors in each bin (demo).</summary>
public sealed record InfluenceHistogram(double Min, double Max, int[] Counts, int[] Planted)
{
    /// <summary>The queue page's bin count: a ranking's histogram of this many bins is stored when the ranking is written.</summary>
    public const int QueueBins = 40;

    public double BinWidth => Counts.Length == 0 ? 0 : (Max - Min) / Counts.Length;

    /// <summary>Equal-width bins over [min, max] of the finite values (NaN = not a candidate, skipped); the maximum
    /// falls in the last bin.</summary>
    public static InfluenceHistogram Of(IEnumerable<float> values, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins));
        // One pass for the range and one for the bins, no copies: the image page draws this for 118k scores.
        var all = values as float[] ?? values.ToArray();
        double lo = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in all)
        {
            if (!float.IsFinite(v)) continue;
            lo = Math.Min(lo, v);
            max = Math.Max(max, v);
        }
        if (double.IsPositiveInfinity(lo)) return new InfluenceHistogram(0, 0, [], []);
        double hi = Math.Max(max, lo + 1e-12);
        var counts = new int[bins];
        foreach (float v in all)
            if (float.IsFinite(v)) counts[Math.Min(bins - 1, (int)((v - lo) / (hi - lo) * bins))]++;
        return new InfluenceHistogram(lo, hi, counts, new int[bins]);
    }

    /// <summary>Equal-width bins over [min, max] of a ranking's finite scores (a single value gets a width of 1e-12),
    /// with the images of <paramref name="planted"/> counted per bin; the maximum falls in the last bin.</summary>
    public static InfluenceHistogram OfRanking(IReadOnlyList<(long ImageId, double Score)> rows, IReadOnlySet<long> planted, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins));
        double lo = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var (_, score) in rows)
        {
            if (!double.IsFinite(score)) continue;
            lo = Math.Min(lo, score);
            max = Math.Max(max, score);
        }
        if (double.IsInfinity(lo)) return new InfluenceHistogram(0, 0, [], []);
        double hi = max > lo ? max : lo + 1e-12;
        var counts = new int[bins];
        var plantedCounts = new int[bins];
        foreach (var (imageId, score) in rows)
        {
            if (!double.IsFinite(score)) continue;
            int bin = Math.Min(bins - 1, (int)((score - lo) / (hi - lo) * bins));
            counts[bin]++;
            if (planted.Contains(imageId)) plantedCounts[bin]++;
        }
        return new InfluenceHistogram(lo, hi, counts, plantedCounts);
    }
}
