using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Which training images a similarity method may rank for a held-out target. Full image: ESVM uses training
/// images sharing at least one class with it, cosine uses all training images. Class c: training images containing c
/// (classes of non-crowd annotations).</summary>
public sealed class SimilarityTargets
{
    public SimilarityTargets(IReadOnlyList<long> trainIds, IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> trainAnnotations,
        IReadOnlyList<long> heldOutIds, IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> heldOutAnnotations)
    {
        static int[] Classes(IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> a, long id) =>
            a.GetValueOrDefault(id, []).Where(x => !x.IsCrowd).Select(x => x.CategoryCocoId).Distinct().Order().ToArray();
        var trainClasses = trainIds.Select(id => Classes(trainAnnotations, id)).ToArray();
        var byClass = new Dictionary<int, int[]>();
        foreach (int c in trainClasses.SelectMany(x => x).Distinct())
            byClass[c] = Enumerable.Range(0, trainIds.Count).Where(i => trainClasses[i].Contains(c)).ToArray();
        var all = Enumerable.Range(0, trainIds.Count).ToArray();

        var targets = new List<(NewTarget, int[] SameClass, int[] Cosine)>();
        foreach (long id in heldOutIds)
        {
            var classes = Classes(heldOutAnnotations, id);
            var sharing = classes.SelectMany(c => byClass.GetValueOrDefault(c, [])).Distinct().Order().ToArray();
            targets.Add((new NewTarget(id, TargetKinds.Image, null, null), sharing, all));
            foreach (int c in classes)
            {
                var pool = byClass.GetValueOrDefault(c, []);
                targets.Add((new NewTarget(id, TargetKinds.Class, c, null), pool, pool));
            }
        }
        Targets = targets;
    }

    /// <summary>Each target with its ESVM negatives and its cosine pool, as indices into the training order.</summary>
    public IReadOnlyList<(NewTarget Target, int[] EsvmCandidates, int[] CosinePool)> Targets { get; }
}
