using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Precompute.Trak.Targets.Kinds;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassAllPixels;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassLabelledPixels;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassPredictedPixels;
using AttributionExplorer.Worker.Evaluations;
using AttributionExplorer.Worker.Plugins.Influence;
using AttributionExplorer.Worker.Plugins.Similarity;
using AttributionExplorer.Worker.Plugins.Trak;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>The one place plug-ins are registered, one line each. The CLI builds its verbs from here, and every
/// command publishes their descriptions to the database (<see cref="IPluginCatalog"/>), from which the web app builds
/// its columns, pickers, API and evaluation page. Order here is display and execution order.</summary>
public static class PluginRegistry
{
    /// <summary>How the README and the app name the worker's command line.</summary>
    public const string Cli = "dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll";

    /// <summary>The definitions a class target can have; `precompute study lds` measures each one's LDS.</summary>
    public static readonly IReadOnlyList<ITargetKind> ClassTargetVariants =
    [
        new ClassAllPixelsTargetKind(),
        new ClassLabelledPixelsTargetKind(),
        new ClassPredictedPixelsTargetKind(),
    ];

    /// <summary>What "class" means in the app and the demo: the variant with the best LDS in `precompute study lds`
    /// (docs/science-notes.md, "LDS against ensemble size"), with <see cref="FallbackClassTarget"/> for the classes it
    /// plans no target for.</summary>
    public const string DefaultClassTarget = Core.Domain.TargetKinds.ClassPredictedPixels;

    /// <summary>A class present in the labels that the checkpoints predict nowhere keeps a target over its labelled pixels.</summary>
    public const string FallbackClassTarget = Core.Domain.TargetKinds.ClassLabelledPixels;

    public static readonly IReadOnlyList<ITargetKind> TargetKinds =
    [
        new ImageTargetKind(),
        new ClassTargetKind(ClassTargetVariants.Single(v => v.Info.Name == DefaultClassTarget), ClassTargetVariants.Single(v => v.Info.Name == FallbackClassTarget)),
        new ObjectTargetKind(),
    ];

    public static readonly IReadOnlyList<IRankingMethod> RankingMethods =
    [
        new TrakMethod(),
        new EsvmMethod(),
        new MocoCosineMethod(),
        new ClipCosineMethod(),
        new InfluenceDetector(),
        new Confidence.ConfidenceRanking(),
        new Confidence.LossRanking(),
        new OutOfSampleConfidence.OutOfSampleConfidenceDetector(),
        new SelfInfluence.SelfInfluenceDetector(),
        new HeldOutObjects.HeldOutObjectDetector(),
        new TrainOthers.TrainOthersDetector(),
        new Suspect.SuspectDetector(),
        new ObjectConfidence.ObjectConfidenceDetector(),
    ];

    public static readonly IReadOnlyList<IEvaluation> Evaluations =
    [
        new LabelErrorEvaluation(),
        new CurationEvaluation(),
        new LdsEvaluation(),
        new CounterfactualEvaluation(),
        new BrittlenessEvaluation(),
    ];

    /// <summary>Target kinds scored on demand only (no planner): a region a user draws.</summary>
    public static readonly TargetKindInfo Region = BuiltInPlugins.TargetKinds.Single(k => k.Name == Core.Domain.TargetKinds.Region);

    public static IRankingMethod Method(string name) => RankingMethods.FirstOrDefault(m => m.Info.Name == name)
        ?? throw new ArgumentException($"unknown ranking method '{name}'; registered: {string.Join(", ", RankingMethods.Select(m => m.Info.Name))}");

    public static void Publish(IPluginCatalog catalog) => catalog.Publish(
        RankingMethods.Select(m => m.Info).ToList(),
        TargetKinds.Select(k => k.Info).Append(Region).ToList(),
        Evaluations.Select(e => e.Info).ToList());
}
