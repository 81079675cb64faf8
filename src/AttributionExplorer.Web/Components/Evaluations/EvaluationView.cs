using System.Text.Json;
using AttributionExplorer.Core.Evaluation;
using Microsoft.AspNetCore.Components;

namespace AttributionExplorer.Web.Components.Evaluations;

/// <summary>What every evaluation view is given (the page passes the same parameters to each).</summary>
public abstract class EvaluationViewBase : ComponentBase
{
    [Parameter, EditorRequired] public EvaluationRun Run { get; set; } = default!;
    [Parameter] public long DatasetId { get; set; }
    /// <summary>Category names by COCO id, for results that name classes.</summary>
    [Parameter] public IReadOnlyDictionary<int, string> CategoryNames { get; set; } = new Dictionary<int, string>();
}

/// <summary>A view of one evaluation kind's results, read into their typed record; <see cref="Error"/> says why not.</summary>
public abstract class EvaluationView<TResult> : EvaluationViewBase where TResult : class
{
    protected TResult? Result { get; private set; }
    protected string? Error { get; private set; }

    protected override void OnParametersSet()
    {
        try
        {
            Result = JsonSerializer.Deserialize<TResult>(Run.ResultsJson!) ?? throw new JsonException("the results are null");
            Error = null;
        }
        catch (JsonException e)
        {
            Result = null;
            Error = e.Message;
        }
    }
}
