namespace AttributionExplorer.Core.Training;

/// <summary>The learning-rate schedules a training run can use (<c>Training:Schedule</c>).</summary>
public static class LearningRateSchedules
{
    /// <summary>Reduce-on-plateau on the epoch loss: the rate stays at its start value until the loss stalls, so a
    /// short run usually ends at full rate and its last batches decide much of the final weights.</summary>
    public const string Plateau = "plateau";

    /// <summary>Cosine annealing per batch from the start rate to zero (the last batch runs at a rate near zero):
    /// the final weights are an average over the end of the trajectory rather than the last few batches' noise.</summary>
    public const string Cosine = "cosine";

    public static readonly IReadOnlyList<string> All = [Plateau, Cosine];

    /// <summary>Why <paramref name="schedule"/> is refused ("must be plateau or cosine"), or null for a known schedule:
    /// the one rule the settings check and every command option share.</summary>
    public static string? Problem(string schedule) => All.Contains(schedule) ? null : $"must be {string.Join(" or ", All)}";

    /// <summary>Rate of batch <paramref name="step"/> (0-based) of <paramref name="totalSteps"/> under cosine annealing:
    /// lr·½(1 + cos(π·step/totalSteps)), so step 0 runs at lr and the rate approaches 0 at the end.</summary>
    public static double CosineRate(double learningRate, int step, int totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be ≥ 1");
        if (step < 0 || step >= totalSteps) throw new ArgumentOutOfRangeException(nameof(step), step, $"must be in 0…{totalSteps - 1}");
        return learningRate * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));
    }

    /// <summary>Linear warm-up: batch <paramref name="step"/> runs at (step + 1)/<paramref name="warmupSteps"/> of the
    /// scheduled rate until the warm-up ends, then at the scheduled rate (factor 1; also when there is no warm-up).
    /// SGD at a large rate needs it: its first updates, on a freshly initialized network, otherwise overshoot.</summary>
    public static double WarmupFactor(int step, int warmupSteps)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "must be ≥ 0");
        return step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0;
    }
}
