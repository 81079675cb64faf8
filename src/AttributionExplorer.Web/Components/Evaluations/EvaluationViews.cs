using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Web.Components.Evaluations;

/// <summary>The component that shows each evaluation kind's results, by the kind's name in the plug-in catalog. A kind
/// without one here is shown by <see cref="GenericEvaluationView"/> (parameters and results as readable tables).</summary>
public static class EvaluationViews
{
    private static readonly IReadOnlyDictionary<string, Type> ByKind = new Dictionary<string, Type>
    {
        [EvaluationKinds.LabelErrors] = typeof(LabelErrorsView),
        [EvaluationKinds.Curation] = typeof(CurationView),
        [EvaluationKinds.Lds] = typeof(LdsView),
        [EvaluationKinds.Counterfactual] = typeof(CounterfactualView),
        [EvaluationKinds.Brittleness] = typeof(BrittlenessView),
        [EvaluationKinds.LdsEnsemble] = typeof(LdsEnsembleView),
    };

    public static Type For(string kind) => ByKind.GetValueOrDefault(kind) ?? typeof(GenericEvaluationView);
}
