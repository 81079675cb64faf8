using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>LDS per target kind for the first m ensemble runs, from their final checkpoints only and from every kept
/// epoch (the mean of the checkpoints' scores is the ensemble's score, as TRAK ensembles).</summary>
public static class LdsStudyFigures
{
    /// <summary>Bootstrap draws of subsets per point: enough for a stable 95% interval, at a few seconds per study.</summary>
    public const int SubsetResamples = 400;

    /// <param name="scores">[ensemble run][kept epoch, the final last][kind] → scores [targets][train]</param>
    /// <param name="actual">per kind: [subsets][targets] outputs of the subset models</param>
    public static IReadOnlyList<LdsEnsemblePoint> Points(IReadOnlyList<string> kinds, float[][][][][] scores, IReadOnlyList<int> modelCounts,
        IReadOnlyList<int[]> subsets, IReadOnlyList<double[][]> actual)
    {
        var points = new List<LdsEnsemblePoint>();
        int perRun = scores[0].Length;
        for (int k = 0; k < kinds.Count; k++)
            foreach (int m in modelCounts)
                foreach (bool trajectory in perRun > 1 ? new[] { false, true } : [false])
                {
                    var members = scores.Take(m).SelectMany(run => trajectory ? run : [run[^1]]).Select(c => c[k]).ToList();
                    var mean = Mean(members);
                    var lds = LinearDatamodeling.Score(mean, subsets, actual[k]);
                    var interval = lds.Count == 0 ? null : LinearDatamodeling.SubsetBootstrap(mean, subsets, actual[k], SubsetResamples);
                    points.Add(new LdsEnsemblePoint(kinds[k], m, trajectory, members.Count, lds, members[0].Length, interval));
                }
        return points;
    }

    /// <summary>Per kind, the mean over targets of the Spearman correlation, over the replicated subsets, between the
    /// outputs of a subset's model and of its replicate (same data, another seed): how far the outputs follow the data
    /// rather than the seed, an upper reference for LDS (whose ground truth is one such noisy model per subset).</summary>
    /// <param name="first">per kind: [replicated subsets][targets] of the subset models</param>
    /// <param name="second">per kind: the same for their replicates</param>
    public static IReadOnlyList<LdsSeedCeiling> Ceilings(IReadOnlyList<string> kinds, IReadOnlyList<double[][]> first, IReadOnlyList<double[][]> second)
    {
        var result = new List<LdsSeedCeiling>();
        for (int k = 0; k < kinds.Count; k++)
        {
            int targets = first[k].Length == 0 ? 0 : first[k][0].Length;
            var rhos = new List<double>();
            for (int t = 0; t < targets; t++)
                if (Core.Similarity.RankAgreement.Spearman(first[k].Select(a => a[t]).ToArray(), second[k].Select(a => a[t]).ToArray()) is { } rho) rhos.Add(rho);
            result.Add(new LdsSeedCeiling(kinds[k], MeanWithError.Of(rhos), first[k].Length));
        }
        return result;
    }

    /// <summary>Each subset's ground truth: the mean, per target, of the outputs of its models under every seed.</summary>
    /// <param name="perSeed">[seed round][subset] → outputs [targets]</param>
    public static List<double[]> MeanOverSeeds(IReadOnlyList<IReadOnlyList<double[]>> perSeed)
    {
        int subsets = perSeed[0].Count;
        if (perSeed.Any(r => r.Count != subsets)) throw new ArgumentException("every seed round must cover every subset", nameof(perSeed));
        return Enumerable.Range(0, subsets).Select(j =>
        {
            var mean = new double[perSeed[0][j].Length];
            foreach (var round in perSeed)
                for (int t = 0; t < mean.Length; t++) mean[t] += round[j][t] / perSeed.Count;
            return mean;
        }).ToList();
    }

    public const string ForegroundShare = "foreground share of the subset", SharedComponent = "mean of the kind's other targets",
        PlantedErrors = "planted label errors in the subset";

    /// <summary>Reference predictors per kind. Each covariate (e.g. <see cref="ForegroundShare"/>: each training
    /// image's fraction of labelled non-background pixels; <see cref="PlantedErrors"/>: 1 for an image with a planted
    /// error) is summed over the subset, the same for every target (signed: negative when more of it lowers the
    /// output). Shared component: for target t, the mean over the kind's other targets of their outputs on the same
    /// subset — high when the subsets move every target of the kind together (a global effect, not a per-target one).</summary>
    /// <param name="covariates">per covariate, its name and one value per training example</param>
    public static IReadOnlyList<LdsReference> References(IReadOnlyList<string> kinds, IReadOnlyList<int[]> subsets, IReadOnlyList<double[][]> actual,
        IReadOnlyList<(string Name, IReadOnlyList<double> PerExample)> covariates)
    {
        var result = new List<LdsReference>();
        var sums = covariates.Select(c => (c.Name, Sum: LinearDatamodeling.SubsetSums(subsets, i => c.PerExample[i]))).ToList();
        for (int k = 0; k < kinds.Count; k++)
        {
            int targets = actual[k].Length == 0 ? 0 : actual[k][0].Length;
            var outputs = Enumerable.Range(0, targets).Select(t => actual[k].Select(a => a[t]).ToArray()).ToList();
            foreach (var (name, sum) in sums)
            {
                // A covariate the same on every subset (e.g. a dataset without planted errors) predicts nothing: left out.
                var rhos = outputs.Select(output => Core.Similarity.RankAgreement.Spearman(sum, output)).OfType<double>().ToList();
                if (rhos.Count > 0) result.Add(new LdsReference(kinds[k], name, MeanWithError.Of(rhos)));
            }
            var byOthers = new List<double>();
            if (targets > 1)
                for (int t = 0; t < targets; t++)
                {
                    var others = actual[k].Select(a => (a.Sum() - a[t]) / (targets - 1)).ToArray();
                    if (Core.Similarity.RankAgreement.Spearman(others, outputs[t]) is { } shared) byOthers.Add(shared);
                }
            // Undefined for every target (one target, or constant means): left out, as a covariate is.
            if (byOthers.Count > 0) result.Add(new LdsReference(kinds[k], SharedComponent, MeanWithError.Of(byOthers)));
        }
        return result;
    }

    public const string TrakShared = "TRAK, shared part", TrakSpecific = "TRAK, target-specific part";

    /// <summary>TRAK's LDS split in two, for the full ensemble: the shared part — over subsets, the Spearman between the
    /// mean over the kind's targets of the predicted sums and the mean of the outputs (one figure per kind) — and the
    /// target-specific part — per target, the Spearman between its predicted sum less that mean and its output less
    /// the outputs' mean. Tells whether TRAK misses what moves every target together or what sets a target apart.</summary>
    /// <param name="scores">per kind: the ensemble's scores [targets][train]</param>
    /// <param name="actual">per kind: [subsets][targets] outputs of the subset models</param>
    public static IReadOnlyList<LdsReference> Decomposition(IReadOnlyList<string> kinds, IReadOnlyList<float[][]> scores, IReadOnlyList<int[]> subsets,
        IReadOnlyList<double[][]> actual)
    {
        var result = new List<LdsReference>();
        for (int k = 0; k < kinds.Count; k++)
        {
            int targets = scores[k].Length;
            if (targets < 2) continue;
            var predicted = scores[k].Select(row => LinearDatamodeling.SubsetSums(subsets, i => row[i])).ToArray();   // [targets][subsets]
            var predictedMean = subsets.Select((_, j) => predicted.Average(p => p[j])).ToArray();
            var actualMean = actual[k].Select(a => a.Average()).ToArray();
            var shared = Core.Similarity.RankAgreement.Spearman(predictedMean, actualMean);
            // An undefined correlation (constant sums or outputs) is left out, as LDS leaves such a target out.
            if (shared is { } rho) result.Add(new LdsReference(kinds[k], TrakShared, MeanWithError.Of([rho])));
            var specific = new List<double>();
            for (int t = 0; t < targets; t++)
                if (Core.Similarity.RankAgreement.Spearman(predicted[t].Select((p, j) => p - predictedMean[j]).ToArray(),
                        actual[k].Select((a, j) => a[t] - actualMean[j]).ToArray()) is { } r) specific.Add(r);
            if (specific.Count > 0) result.Add(new LdsReference(kinds[k], TrakSpecific, MeanWithError.Of(specific)));
        }
        return result;
    }

    /// <summary>A training example's share of labelled foreground: pixels with a class other than background (0),
    /// over the pixels not ignored (255).</summary>
    public static double ForegroundFraction(byte[] labels)
    {
        int labelled = 0, foreground = 0;
        foreach (byte label in labels)
        {
            if (label == 255) continue;
            labelled++;
            if (label != 0) foreground++;
        }
        return labelled == 0 ? 0 : (double)foreground / labelled;
    }

    public static float[][] Mean(IReadOnlyList<float[][]> members)
    {
        int rows = members[0].Length, cols = rows == 0 ? 0 : members[0][0].Length;
        var mean = new float[rows][];
        for (int t = 0; t < rows; t++)
        {
            var row = new double[cols];
            foreach (var member in members)
                for (int i = 0; i < cols; i++) row[i] += member[t][i];
            mean[t] = row.Select(v => (float)(v / members.Count)).ToArray();
        }
        return mean;
    }

    public static IEnumerable<string> Table(LdsEnsembleResult result)
    {
        string truth = result.SeedsPerSubset == 1 ? "one model per subset" : $"ground truth the mean of {result.SeedsPerSubset} seeds per subset";
        yield return $"LDS (Spearman, mean ± SE over targets; 95% bootstrap interval over subsets) of TRAK, {result.Subsets} subsets of {result.SubsetSize}/{result.TrainImages} (α = {result.Alpha}, {truth}), k = {result.ProjectionDim}";
        foreach (var kind in result.Points.GroupBy(p => p.TargetKind))
        {
            yield return $"  {kind.Key} ({kind.First().Targets} targets)";
            foreach (var p in kind.OrderBy(p => p.Models).ThenBy(p => p.Trajectory))
                yield return $"    {p.Models,2} model(s), {(p.Trajectory ? "with trajectory" : "final only"),-15} ({p.Checkpoints,2} checkpoints): " +
                             $"{p.Spearman.Mean:F3} ± {p.Spearman.StandardError:F3} (n = {p.Spearman.Count})" +
                             (p.SubsetInterval is { } i ? $", 95% over subsets [{i.Low:F3}, {i.High:F3}]" : "");
        }
        foreach (var r in result.References ?? [])
            yield return $"  reference, {r.TargetKind}: {r.Predictor} {r.Spearman.Mean:F3} ± {r.Spearman.StandardError:F3} (n = {r.Spearman.Count})";
        foreach (var c in result.SeedCeilings ?? [])
            yield return $"  seed-noise ceiling, {c.TargetKind}: Spearman between two seeds' subset models over {c.Subsets} subsets {c.Spearman.Mean:F3} ± {c.Spearman.StandardError:F3} (n = {c.Spearman.Count})";
    }
}
