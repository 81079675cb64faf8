namespace AttributionExplorer.Core.Training;

/// <summary>Optimizers a training run can use (<see cref="Options.TrainingOptions.Optimizer"/>).</summary>
public static class Optimizers
{
    /// <summary>Adam with L2 weight decay added to the gradient: fast on small data, but it divides every update by a
    /// running gradient scale that depends on the whole training set, which gradient attribution does not model.</summary>
    public const string Adam = "adam";

    /// <summary>SGD with heavy-ball momentum (<see cref="Options.TrainingOptions.Momentum"/>) and L2 weight decay: each
    /// example's gradient enters the update additively, the dynamics TRAK's linearization assumes (its paper trains so).</summary>
    public const string Sgd = "sgd";

    public static readonly IReadOnlyList<string> All = [Adam, Sgd];

    /// <summary>Why <paramref name="optimizer"/> is refused, or null for a known one.</summary>
    public static string? Problem(string optimizer) => All.Contains(optimizer) ? null : $"must be {string.Join(" or ", All)}";
}
