using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.OnDemand;

/// <summary>Scores a new target against stored per-checkpoint scoring matrices without touching the training set:
/// s = −(1/M) Σₘ ψₘ Mₘ, ψₘ the projected output gradient under checkpoint m (the same projector as the run).</summary>
public sealed class OnDemandScorer : IDisposable
{
    private readonly IReadOnlyList<(nn.Module<Tensor, Tensor> Model, IPerExampleGradients Gradients, IProjector Projector, Tensor Matrix)> members;

    /// <param name="checkpoints">Models with their k×n scoring matrices; this object owns and disposes them.</param>
    public OnDemandScorer(IReadOnlyList<(nn.Module<Tensor, Tensor> Model, Tensor ScoringMatrix)> checkpoints, TrakSettings settings)
    {
        if (checkpoints.Count == 0) throw new ArgumentException("on-demand scoring needs at least one checkpoint");
        Training.TorchThreads.Configure(settings.Threads);
        members = checkpoints.Select(c =>
        {
            var gradients = settings.CreateGradients(c.Model);
            var projector = settings.CreateProjector(gradients.ParameterCount, settings.ProjectionCacheBytes / checkpoints.Count);
            if (c.ScoringMatrix.shape[0] != projector.OutputDim)
                throw new ArgumentException($"scoring matrix has {c.ScoringMatrix.shape[0]} rows, the projector makes {projector.OutputDim} features");
            c.ScoringMatrix.DetachFromDisposeScope();
            return (c.Model, gradients, projector, c.ScoringMatrix);
        }).ToList();
        TrainCount = (int)members[0].Matrix.shape[1];
    }

    public int TrainCount { get; }

    /// <summary>Scores [n] of one example (image [1,3,S,S], labels [1,S,S]) for the given output: the mean over checkpoints.</summary>
    public float[] Score(Tensor image, Tensor labels, ITargetOutput output) => Mean(ScorePerCheckpoint(image, labels, output));

    /// <summary>Scores [n] of one example under each checkpoint, in the order the checkpoints were given (what a
    /// split-half reliability compares). <paramref name="scored"/> hears (checkpoints done, checkpoints) after each.</summary>
    public float[][] ScorePerCheckpoint(Tensor image, Tensor labels, ITargetOutput output, Action<int, int>? scored = null)
    {
        var perCheckpoint = new float[members.Count][];
        for (int m = 0; m < members.Count; m++)
        {
            using var scope = torch.NewDisposeScope();
            var (_, gradients, projector, matrix) = members[m];
            var psi = projector.Project(gradients.Compute(image, labels, _ => output));
            perCheckpoint[m] = TrakScorer.Score(psi, matrix)[0].data<float>().ToArray();
            if (perCheckpoint[m].Any(s => !float.IsFinite(s))) throw new InvalidOperationException("on-demand TRAK produced non-finite scores");
            scored?.Invoke(m + 1, members.Count);
        }
        return perCheckpoint;
    }

    /// <summary>Elementwise mean of equally long score vectors.</summary>
    public static float[] Mean(IReadOnlyList<float[]> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("no score vectors to average");
        var mean = new float[scores[0].Length];
        for (int i = 0; i < mean.Length; i++)
        {
            double sum = 0;
            foreach (var s in scores) sum += s[i];
            mean[i] = (float)(sum / scores.Count);
        }
        return mean;
    }

    /// <summary>The ensemble's label map [1,S,S] for an image [1,3,S,S]: argmax of the mean softmax over checkpoints
    /// (what an uploaded image, which has no ground truth, is attributed against).</summary>
    public Tensor PredictLabels(Tensor image)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor? sum = null;
        foreach (var m in members)
        {
            m.Model.eval();
            var p = nn.functional.softmax(m.Model.forward(image), 1);
            sum = sum is null ? p : sum + p;
        }
        return sum!.argmax(1).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var m in members)
        {
            m.Matrix.Dispose();
            m.Model.Dispose();
            (m.Projector as IDisposable)?.Dispose();
        }
    }
}
