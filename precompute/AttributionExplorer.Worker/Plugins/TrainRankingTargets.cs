namespace AttributionExplorer.Worker.Plugins;

/// <summary>The target kind of a ranking run that orders all training images (a TrainImages-scope detector).</summary>
public static class TrainRankingTargets
{
    public const string Kind = "train";
}

/// <summary>What a train-image ranking run records as its result.</summary>
public sealed record TrainRankingResult(int Images);
