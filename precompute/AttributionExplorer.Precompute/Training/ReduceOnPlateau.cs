namespace AttributionExplorer.Precompute.Training;

/// <summary>Multiplies the learning rate by <c>factor</c> after <c>patience</c> epochs without a 1e-4 relative improvement.</summary>
public sealed class ReduceOnPlateau(double learningRate, double factor, int patience)
{
    private double best = double.PositiveInfinity;
    private int badEpochs;

    public double LearningRate { get; private set; } = learningRate;

    /// <summary>Records an epoch's loss; true when the learning rate was just reduced.</summary>
    public bool Step(double loss)
    {
        if (loss < best * (1 - 1e-4)) { best = loss; badEpochs = 0; return false; }
        if (++badEpochs <= patience) return false;
        LearningRate *= factor;
        badEpochs = 0;
        return true;
    }
}
