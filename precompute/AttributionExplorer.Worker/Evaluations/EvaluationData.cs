using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>A held-out target the evaluations measure: a full image (CategoryCocoId null) or one class in it.</summary>
public sealed record EvalTarget(long ImageId, int? CategoryCocoId, int ValIndex, int? ModelClass)
{
    public string Kind => CategoryCocoId is null ? TargetKinds.Image : TargetKinds.Class;
    public string Key => CategoryCocoId is null ? $"image:{ImageId}" : $"class:{ImageId}:{CategoryCocoId}";
}

/// <summary>Everything the evaluations share: the train and held-out sets at model resolution, the stored targets,
/// and each method's stored ranking of the training set for a target (aligned to the training order here).</summary>
public sealed class EvaluationData
{
    public const string Trak = RankingMethods.Trak, TrakImage = RankingMethods.TrakImage, Esvm = RankingMethods.Esvm,
        Moco = RankingMethods.Moco, Clip = RankingMethods.Clip, Random = RankingMethods.Random;

    private readonly PipelineContext context;
    private readonly DatasetInfo dataset;
    private readonly Dictionary<long, int> trainIndex;
    private readonly Dictionary<(string Method, string Kind), AttributionRun?> runs = [];
    private readonly Dictionary<long, Dictionary<long, int>> orderOfRun = [];
    private readonly Dictionary<int, IReadOnlyList<PlannedTarget>> classPlans = [];
    private readonly int seed;

    public EvaluationData(PipelineContext context, DatasetInfo dataset, ModelOptions model, int seed)
    {
        this.context = context;
        this.dataset = dataset;
        this.seed = seed;
        Train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
        Val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
        trainIndex = Train.ImageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var valIndex = Val.ImageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var modelClass = context.Datasets.GetCategories(dataset.Id).ToDictionary(c => c.CocoId, c => c.ModelIndex);
        var classRun = Run(Trak, TargetKinds.Class) ?? throw new InvalidOperationException(
            $"dataset '{dataset.Name}' has no complete class-target TRAK run; run `precompute trak` (or demo) first");
        var imageRun = Run(Trak, TargetKinds.Image) ?? throw new InvalidOperationException(
            $"dataset '{dataset.Name}' has no complete full-image TRAK run; run `precompute trak` (or demo) first");
        ClassTargets = context.Scores.GetTargetsOfRun(classRun.Id)
            .Where(t => t.CategoryCocoId is not null && valIndex.ContainsKey(t.ImageId))
            .Select(t => new EvalTarget(t.ImageId, t.CategoryCocoId, valIndex[t.ImageId], modelClass[t.CategoryCocoId!.Value]))
            .OrderBy(t => t.ImageId).ThenBy(t => t.CategoryCocoId).ToList();
        ImageTargets = context.Scores.GetTargetsOfRun(imageRun.Id)
            .Where(t => valIndex.ContainsKey(t.ImageId))
            .Select(t => new EvalTarget(t.ImageId, null, valIndex[t.ImageId], null))
            .OrderBy(t => t.ImageId).ToList();
    }

    public InMemorySegmentationSource Train { get; }
    public InMemorySegmentationSource Val { get; }
    public IReadOnlyList<EvalTarget> ClassTargets { get; }
    public IReadOnlyList<EvalTarget> ImageTargets { get; }
    public long DatasetId => dataset.Id;

    public AttributionRun? Run(string method, string kind)
    {
        if (!runs.TryGetValue((method, kind), out var run))
            runs[(method, kind)] = run = context.RankingRuns.GetLatestComplete(dataset.Id, method, kind);
        return run;
    }

    /// <summary>Methods with stored rankings for targets of this kind, plus random.</summary>
    public IReadOnlyList<string> MethodsFor(string kind)
    {
        var methods = new List<string>();
        if (Run(Trak, kind) is not null) methods.Add(Trak);
        if (kind == TargetKinds.Class && Run(Trak, TargetKinds.Image) is not null) methods.Add(TrakImage);
        foreach (var m in new[] { Esvm, Moco, Clip })
            if (Run(m, kind) is not null) methods.Add(m);
        methods.Add(Random);
        return methods;
    }

    /// <summary>Scores of every training example (training order here) for a target by a method; NaN where the
    /// method did not rank an example (similarity methods rank a same-class pool). Null when the method has no
    /// stored ranking for the target.</summary>
    public double[]? Scores(string method, EvalTarget target)
    {
        if (method == Random)
        {
            // Deterministic across processes (HashCode.Combine is randomized per process).
            var random = new System.Random(unchecked((int)(seed * 1_000_003L + target.ImageId * 7919L + (target.CategoryCocoId ?? -1))));
            return Enumerable.Range(0, Train.Count).Select(_ => random.NextDouble()).ToArray();
        }
        var (runMethod, kind) = method == TrakImage ? (Trak, TargetKinds.Image) : (method, target.Kind);
        int? category = method == TrakImage ? null : target.CategoryCocoId;
        var run = Run(runMethod, kind);
        var stored = run is null ? null : context.Scores.GetTargets(run.Id, target.ImageId)
            .FirstOrDefault(t => t.Kind == kind && t.CategoryCocoId == category && t.AnnotationId is null);
        if (stored is null) return null;
        var raw = context.Scores.GetScores(stored.Id);
        var order = OrderOf(run!.Id);
        var scores = Enumerable.Repeat(double.NaN, Train.Count).ToArray();
        foreach (var (imageId, position) in order)
            if (trainIndex.TryGetValue(imageId, out int i)) scores[i] = raw[position];
        return scores;
    }

    /// <summary>The output a class target's TRAK run attributed: the registered class kind's definition (the variant
    /// PluginRegistry.DefaultClassTarget names), planned on the target's held-out image with the class run's
    /// checkpoints' predictions.</summary>
    public ITargetOutput ClassOutput(EvalTarget target)
    {
        if (target.CategoryCocoId is null) throw new ArgumentException($"{target.Key} is not a class target");
        if (!classPlans.TryGetValue(target.ValIndex, out var planned))
        {
            var kind = Plugins.PluginRegistry.TargetKinds.Single(k => k.Info.Name == TargetKinds.Class);
            var plan = TargetPlanner.Plan(Val.Select([target.ValIndex]), context.Datasets.GetCategories(dataset.Id), id => context.Datasets.GetImage(id)!,
                context.Datasets.GetAnnotations, [kind], ClassRunPredictions);
            classPlans[target.ValIndex] = planned = plan.Targets;
        }
        return planned.FirstOrDefault(p => p.Target.CategoryCocoId == target.CategoryCocoId)?.Output
            ?? throw new InvalidOperationException($"{target.Key}: the class kind ({Plugins.PluginRegistry.DefaultClassTarget}) plans no target for this category");
    }

    private IReadOnlyList<byte[]> ClassRunPredictions(long imageId)
    {
        var run = context.Ledger.Get(Run(Trak, TargetKinds.Class)!.Id)!;
        return RunParameters.Read<TrakScoreParameters>(run).CheckpointRunIds
            .Select(id => context.Checkpoints.FindByRun(id) is { } c && context.Checkpoints.GetPrediction(c.Id, imageId) is { } p ? p.Labels
                : throw new InvalidOperationException($"training run {id} has no stored prediction of held-out image {imageId}; retrain it"))
            .ToList();
    }

    /// <summary>The k training examples a method ranks highest for the target (NaN never chosen).</summary>
    public static int[] Top(double[] scores, int k) =>
        Enumerable.Range(0, scores.Length).Where(i => !double.IsNaN(scores[i]))
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();

    private Dictionary<long, int> OrderOf(long runId)
    {
        if (!orderOfRun.TryGetValue(runId, out var order))
            orderOfRun[runId] = order = context.RankingRuns.GetTrainOrder(runId).Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return order;
    }
}
