using AttributionExplorer.Core.LabelErrors;
using AttributionExplorer.Precompute.LabelErrors;

namespace AttributionExplorer.Worker.Study;

/// <summary>Every label-error detector of the study as a suspicion per item (higher = more suspect).</summary>
public static class StudyDetectors
{
    public const string ConfidenceIn = "confidence_in_sample";
    public const string ConfidenceOut = "confidence_out_of_sample";
    public const string SelfInfluence = "trak_self_influence";
    public const string HeldOutImageMean = "heldout_image_mean";
    public const string HeldOutObjectClass = "heldout_object_most_negative_class";
    public const string TrainOthers = "train_others_loss_effect";

    /// <summary>Image detectors from the checkpoints given (their mean) and the confidences.</summary>
    public static Dictionary<string, double[]> Images(IReadOnlyList<CheckpointScores> checkpoints, IReadOnlyList<HeldOutTarget> targets,
        double[]? qualityInSample, double[]? qualityOutOfSample)
    {
        var (self, heldOut, trainOnTrain) = Mean(checkpoints);
        List<float[]> Rows(string kind) => targets.Select((t, i) => (t, i)).Where(p => p.t.Kind == kind).Select(p => heldOut[p.i]).ToList();
        List<int> Classes(string kind) => targets.Where(t => t.Kind == kind).Select(t => t.ClassIndex).ToList();
        var d = new Dictionary<string, double[]>
        {
            [SelfInfluence] = self,
            [HeldOutImageMean] = InfluenceAggregation.NegatedMean(Rows(StudyTargets.Image)),
            ["heldout_class_all_pixels_mean"] = InfluenceAggregation.NegatedMean(Rows(StudyTargets.ClassAllPixels)),
            ["heldout_class_all_pixels_most_negative_class"] = InfluenceAggregation.NegatedMostNegativeGroupMean(Rows(StudyTargets.ClassAllPixels), Classes(StudyTargets.ClassAllPixels)),
            ["heldout_class_labelled_pixels_most_negative_class"] = InfluenceAggregation.NegatedMostNegativeGroupMean(Rows(StudyTargets.ClassLabelledPixels), Classes(StudyTargets.ClassLabelledPixels)),
            ["heldout_object_mean"] = InfluenceAggregation.NegatedMean(Rows(StudyTargets.Object)),
            [HeldOutObjectClass] = InfluenceAggregation.NegatedMostNegativeGroupMean(Rows(StudyTargets.Object), Classes(StudyTargets.Object)),
            [TrainOthers] = InfluenceAggregation.MeanEffectOnOthers(trainOnTrain),
        };
        if (qualityInSample is null || qualityOutOfSample is null) return d;
        var confIn = qualityInSample.Select(q => -q).ToArray();
        var confOut = qualityOutOfSample.Select(q => -q).ToArray();
        var withConfidence = new Dictionary<string, double[]> { ["random"] = Random(confIn.Length), [ConfidenceIn] = confIn, [ConfidenceOut] = confOut };
        foreach (var p in d) withConfidence[p.Key] = p.Value;
        withConfidence["max_rank(confidence_in_sample, heldout_object_most_negative_class)"] = RankCombination.MaxOfRanks(confIn, d[HeldOutObjectClass]);
        withConfidence["max_rank(confidence_out_of_sample, heldout_object_most_negative_class)"] = RankCombination.MaxOfRanks(confOut, d[HeldOutObjectClass]);
        withConfidence["mean_rank(confidence_out_of_sample, heldout_object_most_negative_class)"] = RankCombination.MeanOfRanks(confOut, d[HeldOutObjectClass]);
        withConfidence["max_rank(confidence_out_of_sample, trak_self_influence)"] = RankCombination.MaxOfRanks(confOut, self);
        withConfidence["max_rank(confidence_in_sample, trak_self_influence)"] = RankCombination.MaxOfRanks(confIn, self);
        withConfidence["max_rank(confidence_out_of_sample, heldout_object_class, trak_self_influence)"] = RankCombination.MaxOfRanks(confOut, d[HeldOutObjectClass], self);
        withConfidence["max_rank(confidence_in_sample, heldout_object_class, trak_self_influence)"] = RankCombination.MaxOfRanks(confIn, d[HeldOutObjectClass], self);
        withConfidence["max_rank(confidence_in_sample, train_others_loss_effect)"] = RankCombination.MaxOfRanks(confIn, d[TrainOthers]);
        withConfidence["max_rank(confidence_out_of_sample, heldout_object_class, train_others_loss_effect)"] = RankCombination.MaxOfRanks(confOut, d[HeldOutObjectClass], d[TrainOthers]);
        return withConfidence;
    }

    /// <summary>Object detectors: per-annotation confidence, the parent image's attribution detectors, and their combination.</summary>
    public static Dictionary<string, double[]> Objects(IReadOnlyList<TrainObject> objects, IReadOnlyDictionary<string, double[]> imageDetectors,
        double[] qualityInSample, double[] qualityOutOfSample)
    {
        double[] Parent(string name) => objects.Select(o => imageDetectors[name][o.ExampleIndex]).ToArray();
        var confIn = qualityInSample.Select(q => -q).ToArray();
        var confOut = qualityOutOfSample.Select(q => -q).ToArray();
        return new Dictionary<string, double[]>
        {
            ["random"] = Random(objects.Count),
            ["object_confidence_in_sample"] = confIn,
            ["object_confidence_out_of_sample"] = confOut,
            ["parent_confidence_out_of_sample"] = Parent(ConfidenceOut),
            ["parent_" + HeldOutObjectClass] = Parent(HeldOutObjectClass),
            ["parent_" + SelfInfluence] = Parent(SelfInfluence),
            ["max_rank(object_confidence_out_of_sample, parent_heldout_object_most_negative_class)"] = RankCombination.MaxOfRanks(confOut, Parent(HeldOutObjectClass)),
            ["max_rank(object_confidence_in_sample, parent_heldout_object_most_negative_class)"] = RankCombination.MaxOfRanks(confIn, Parent(HeldOutObjectClass)),
        };
    }

    private static double[] Random(int n)
    {
        var random = new Random(7);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
    }

    private static (double[] Self, float[][] HeldOut, float[][] TrainOnTrain) Mean(IReadOnlyList<CheckpointScores> checkpoints)
    {
        int n = checkpoints[0].SelfInfluence.Length, t = checkpoints[0].HeldOut.Length;
        var self = new double[n];
        var heldOut = Enumerable.Range(0, t).Select(_ => new float[n]).ToArray();
        var trainOnTrain = Enumerable.Range(0, n).Select(_ => new float[n]).ToArray();
        foreach (var c in checkpoints)
        {
            for (int i = 0; i < n; i++) self[i] += c.SelfInfluence[i] / checkpoints.Count;
            for (int r = 0; r < t; r++) for (int i = 0; i < n; i++) heldOut[r][i] += c.HeldOut[r][i] / checkpoints.Count;
            for (int r = 0; r < n; r++) for (int i = 0; i < n; i++) trainOnTrain[r][i] += c.TrainOnTrain[r][i] / checkpoints.Count;
        }
        return (self, heldOut, trainOnTrain);
    }
}
