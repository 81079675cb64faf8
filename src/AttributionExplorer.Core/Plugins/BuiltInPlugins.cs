using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Plugins;

/// <summary>Descriptions of the target kinds and evaluations that ship with the product (the worker's registry
/// publishes them; tests and an empty database use them directly).</summary>
public static class BuiltInPlugins
{
    public static readonly IReadOnlyList<TargetKindInfo> TargetKinds =
    [
        new(Domain.TargetKinds.Image, "Full image", TargetSelector.None, 0),
        new(Domain.TargetKinds.Class, "Class", TargetSelector.Category, 1),
        new(Domain.TargetKinds.Object, "Object", TargetSelector.Annotation, 2),
        new(Domain.TargetKinds.Region, "Region", TargetSelector.None, 3),
    ];

    /// <summary>The definitions a class target can have; the "class" kind above is one of them (the default), the
    /// others are measured by `precompute study lds` and not computed by the demo.</summary>
    public static readonly IReadOnlyList<TargetKindInfo> ClassTargetVariants =
    [
        new(Domain.TargetKinds.ClassAllPixels, "Class, all pixels", TargetSelector.Category, 10),
        new(Domain.TargetKinds.ClassLabelledPixels, "Class, labelled pixels", TargetSelector.Category, 11),
        new(Domain.TargetKinds.ClassPredictedPixels, "Class, predicted pixels", TargetSelector.Category, 12),
    ];

    public static readonly IReadOnlyList<EvaluationKindInfo> Evaluations =
    [
        new(EvaluationKinds.LabelErrors, "Label-error detection",
            "How well each ranking of the training images finds the known (planted) label errors when inspected most suspect first.", "label-errors", 0),
        new(EvaluationKinds.Curation, "Data curation",
            "Held-out mIoU after removing the 10/25/50% most suspect training images by each label-error detector (the queue's default, confidence) and retraining, against random removal; 95% intervals over seeds and paired differences.", "curation", 1),
        new(EvaluationKinds.Lds, "Linear datamodeling score (LDS)",
            "Spearman correlation between the outputs predicted from attribution scores and those of models retrained on random subsets.", "lds", 2),
        new(EvaluationKinds.Counterfactual, "Counterfactual removal",
            "How much a target's loss rises when its top-k attributed training images are removed and the model is retrained.", "counterfactual", 3),
        new(EvaluationKinds.Brittleness, "Data brittleness",
            "The smallest number of top attributed training images whose removal flips a target's prediction, found by bisection.", "brittleness", 4),
    ];

    /// <summary>Evaluation runs written by studies (`precompute study …`), too long for `eval all`: the evaluation page
    /// shows them when a dataset has one, after the catalog's evaluations.</summary>
    public static readonly IReadOnlyList<EvaluationKindInfo> Studies =
    [
        new(EvaluationKinds.LdsEnsemble, "LDS against ensemble size",
            "TRAK's linear datamodeling score as more independently trained models (and their trajectory checkpoints) are ensembled, per target kind and class-target variant (`precompute study lds`).", "lds", 10),
    ];
}
