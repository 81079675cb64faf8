using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Runs the chosen evaluations on one dataset and adds their headline figures to the summary.</summary>
public static class EvaluationRunner
{
    public static readonly IReadOnlyDictionary<string, string> VerbToKind = new Dictionary<string, string>
    {
        ["label-errors"] = EvaluationKinds.LabelErrors,
        ["curation"] = EvaluationKinds.Curation,
        ["lds"] = EvaluationKinds.Lds,
        ["counterfactual"] = EvaluationKinds.Counterfactual,
        ["brittleness"] = EvaluationKinds.Brittleness,
    };

    public static void Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training, IReadOnlyList<string> kinds)
    {
        var options = context.Options.Evaluation;
        if (options.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"appsettings.json: {string.Join("; ", problems)}");
        TorchThreads.Configure(training.Threads);
        var data = new EvaluationData(context, dataset, model, options.Seed);
        var setup = new EvaluationSetup(context, data, model, training, options);
        foreach (var kind in kinds)
        {
            var clock = Stopwatch.StartNew();
            string summary = kind switch
            {
                EvaluationKinds.LabelErrors => LabelErrors(context, dataset, model, training, setup),
                EvaluationKinds.Curation => Describe(CurationEvaluation.Run(setup)),
                EvaluationKinds.Lds => Describe(LdsEvaluation.Run(setup)),
                EvaluationKinds.Counterfactual => Describe(CounterfactualEvaluation.Run(setup)),
                EvaluationKinds.Brittleness => Describe(BrittlenessEvaluation.Run(setup)),
                _ => throw new ArgumentException($"unknown evaluation '{kind}'"),
            };
            context.Summary.Add(($"eval {kind}", summary, clock.Elapsed.TotalSeconds));
        }
    }

    private static string LabelErrors(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training, EvaluationSetup setup)
    {
        var checkpoints = TrainStep.Existing(context, dataset, model, training);
        var networks = checkpoints.Select(c => (nn.Module<Tensor, Tensor>)CheckpointFile.Load(c.Path, model, setup.Data.Train.NumClasses, context.Device)).ToList();
        try { return Describe(LabelErrorEvaluation.Run(setup, networks)); }
        finally { foreach (var n in networks) n.Dispose(); }
    }

    private static string Describe(LabelErrorResult r) =>
        $"{r.PlantedErrors} known errors in {r.TrainImages}: " + string.Join("; ", r.Methods.Select(m => $"{m.Method} P@5% {m.PrecisionAt5Percent:F2} AUROC {m.Auroc:F2} AP {m.Auprc:F2}"));

    private static string Describe(CurationResult r) =>
        string.Join(", ", r.Points.Select(p => $"{p.PercentRemoved}%: {p.MeanIou.Mean:F3}±{p.MeanIou.StandardError:F3}")) +
        (r.GainAt50 is { } g ? $"; gain at 50% {g.Mean:+0.000;-0.000}±{g.StandardError:F3}" : "") +
        (r.RandomPoints is { Count: > 0 } random ? "; random removal " + string.Join(", ", random.Select(p => $"{p.PercentRemoved}%: {p.MeanIou.Mean:F3}±{p.MeanIou.StandardError:F3}")) : "") +
        (r.GainOverRandomAt50 is { } h ? $"; vs random at 50% {h.Mean:+0.000;-0.000}±{h.StandardError:F3}" : "");

    private static string Describe(LdsResult r) =>
        $"{r.Subsets} subsets of {r.SubsetSize}: " + string.Join("; ", r.Methods.Select(m => $"{m.Method} ({m.TargetKind}) {m.Spearman.Mean:F3}±{m.Spearman.StandardError:F3}"));

    private static string Describe(CounterfactualResult r) =>
        $"{r.Targets} targets × {r.Seeds} seeds, base loss {r.BaselineLoss.Mean:F3}: " +
        string.Join("; ", r.Cells.Select(c => $"{c.Method} −{c.Removed}: {c.LossIncrease.Mean:+0.000;-0.000}±{c.LossIncrease.StandardError:F3}"));

    private static string Describe(BrittlenessResult r) =>
        string.Join("; ", r.Targets.Select(t => $"{t.Method} {t.ImageId}/{t.CategoryCocoId}: {(t.Smallest is { } s ? s.ToString() : $">{r.MaxSupport}")}"));
}
