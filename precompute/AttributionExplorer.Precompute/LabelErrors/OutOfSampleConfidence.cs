using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Models;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>Confident learning's out-of-sample predictions: K seeded folds; a model trained on the other K−1 folds
/// predicts each fold, so no image is judged by a model that saw (and possibly memorized) its label.</summary>
public static class OutOfSampleConfidence
{
    /// <summary>Fold of each item: a seeded permutation dealt round robin, so fold sizes differ by at most one.</summary>
    public static int[] Folds(int count, int folds, int seed)
    {
        if (folds < 2 || folds > count) throw new ArgumentOutOfRangeException(nameof(folds), folds, $"need 2…{count} folds");
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[count];
        for (int position = 0; position < count; position++) fold[order[position]] = position % folds;
        return fold;
    }

    /// <returns>The fold of each item and the model that did not see it (one per fold).</returns>
    public static (int[] FoldOf, IReadOnlyList<DeepLabV3> Models) Train(InMemorySegmentationSource train, ModelOptions model,
        TrainingOptions training, int folds, int seed, Device device, Action<string>? log = null)
    {
        var foldOf = Folds(train.Count, folds, seed);
        var models = new List<DeepLabV3>();
        for (int f = 0; f < folds; f++)
        {
            var keep = Enumerable.Range(0, train.Count).Where(i => foldOf[i] != f).ToArray();
            models.Add(SubsetTrainer.Train(train, keep, model, training, seed * 100 + f, device));
            log?.Invoke($"out-of-sample fold {f + 1}/{folds} trained on {keep.Length} images");
        }
        foreach (var m in models) m.eval();
        return (foldOf, models);
    }

    /// <summary>The label quality (cleanlab soft-minimum) of every item under the model of its fold.</summary>
    public static double[] ImageQuality(InMemorySegmentationSource train, int[] foldOf, IReadOnlyList<DeepLabV3> models)
    {
        var quality = new double[train.Count];
        for (int f = 0; f < models.Count; f++)
        {
            var members = Enumerable.Range(0, train.Count).Where(i => foldOf[i] == f).ToArray();
            var scores = LabelQualityScorer.Score([models[f]], train.Select(members));
            for (int j = 0; j < members.Length; j++) quality[members[j]] = scores[j];
        }
        return quality;
    }
}
