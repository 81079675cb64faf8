namespace AttributionExplorer.Core.Options;

/// <summary>`precompute eval …` settings. Defaults fit the demo on a 2-core CPU (README, "Evaluations", gives the
/// budget and larger settings for a GPU). Every retrained model uses the chosen model/training sizes with
/// <see cref="Epochs"/> epochs.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Epochs of every retrained model (0 = the training setting's).</summary>
    public int Epochs { get; set; } = 12;
    /// <summary>Seed of every random choice (targets, subsets, random baseline).</summary>
    public int Seed { get; set; } = 0;
    public CounterfactualOptions Counterfactual { get; set; } = new();
    public LdsOptions Lds { get; set; } = new();
    public BrittlenessOptions Brittleness { get; set; } = new();
    public CurationOptions Curation { get; set; } = new();
    /// <summary>Soft-minimum temperature of the model-confidence baseline.</summary>
    public double ConfidenceTemperature { get; set; } = 0.1;

    /// <summary>Every out-of-range setting, named by its configuration key (empty when all are usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        const string at = "AttributionExplorer:Evaluation:";
        var problems = new List<string>();
        void Check(bool ok, string key, object value, string rule)
        {
            if (!ok) problems.Add($"{at}{key} = {value}: {rule}");
        }
        Check(Epochs >= 0, "Epochs", Epochs, "must be ≥ 0 (0 = the training setting)");
        Check(ConfidenceTemperature > 0, "ConfidenceTemperature", ConfidenceTemperature, "must be > 0");
        Check(Counterfactual.Targets >= 1, "Counterfactual:Targets", Counterfactual.Targets, "must be ≥ 1");
        Check(Counterfactual.RemovePercents.All(p => p is >= 1 and <= 99), "Counterfactual:RemovePercents", string.Join(", ", Counterfactual.RemovePercents), "each must be 1–99");
        Check(Lds.Subsets >= 3, "Lds:Subsets", Lds.Subsets, "must be ≥ 3 (a rank correlation needs 3 points)");
        Check(Lds.Alpha is > 0 and < 1, "Lds:Alpha", Lds.Alpha, "must be in (0, 1)");
        Check(Brittleness.Targets >= 1, "Brittleness:Targets", Brittleness.Targets, "must be ≥ 1");
        Check(Brittleness.Budget >= 1, "Brittleness:Budget", Brittleness.Budget, "must be ≥ 1");
        Check(Brittleness.RetrainsPerStep >= 1, "Brittleness:RetrainsPerStep", Brittleness.RetrainsPerStep, "must be ≥ 1");
        Check(Brittleness.MaxSupportPercent is >= 1 and <= 99, "Brittleness:MaxSupportPercent", Brittleness.MaxSupportPercent, "must be 1–99");
        Check(Brittleness.Methods.All(Evaluation.RankingMethods.All.Contains), "Brittleness:Methods", string.Join(", ", Brittleness.Methods),
            $"each must be one of {string.Join(", ", Evaluation.RankingMethods.All)}");
        Check(Curation.Percents.All(p => p is >= 0 and <= 99), "Curation:Percents", string.Join(", ", Curation.Percents), "each must be 0–99");
        Check(Curation.Percents.Distinct().Count() == Curation.Percents.Length, "Curation:Percents", string.Join(", ", Curation.Percents), "each percent once");
        Check(Curation.Seeds.Distinct().Count() >= 2, "Curation:Seeds", string.Join(", ", Curation.Seeds), "needs ≥ 2 distinct seeds (an interval over seeds needs 2 values; 5 or more for a useful one)");
        Check(Curation.Seeds.Distinct().Count() == Curation.Seeds.Length, "Curation:Seeds", string.Join(", ", Curation.Seeds), "each seed once");
        Check(Curation.Orders.Length >= 1 && Curation.Orders.All(o => !string.IsNullOrWhiteSpace(o)), "Curation:Orders", string.Join(", ", Curation.Orders),
            $"needs ≥ 1 train-image ranking method name ('{CurationOptions.DefaultDetector}' = the queue's default detector; random removal is always measured)");
        Check(Curation.Orders.Distinct().Count() == Curation.Orders.Length, "Curation:Orders", string.Join(", ", Curation.Orders), "each order once");
        Check(!Curation.Orders.Contains(CurationOptions.Random), "Curation:Orders", string.Join(", ", Curation.Orders),
            $"'{CurationOptions.Random}' is the control and always measured; list detectors only");
        Check(Curation.Level is > 0.5 and < 1, "Curation:Level", Curation.Level, "must be in (0.5, 1), e.g. 0.95");
        return problems;
    }

    internal void ClearArraysForBinding()
    {
        Counterfactual.RemovePercents = [];
        Counterfactual.Seeds = [];
        Brittleness.Methods = [];
        Curation.Percents = [];
        Curation.Seeds = [];
        Curation.Orders = [];
    }

    internal void FillEmptyArrays()
    {
        if (Counterfactual.RemovePercents.Length == 0) Counterfactual.RemovePercents = [10];
        if (Counterfactual.Seeds.Length == 0) Counterfactual.Seeds = [0];
        if (Brittleness.Methods.Length == 0) Brittleness.Methods = ["trak", "esvm"];
        if (Curation.Percents.Length == 0) Curation.Percents = CurationOptions.DefaultPercents;
        if (Curation.Seeds.Length == 0) Curation.Seeds = CurationOptions.DefaultSeeds;
        if (Curation.Orders.Length == 0) Curation.Orders = CurationOptions.DefaultOrders;
    }
}

public sealed class CounterfactualOptions
{
    /// <summary>Class targets (held-out image, class) chosen at random.</summary>
    public int Targets { get; set; } = 4;
    /// <summary>Top-k removed, as percents of the training set.</summary>
    public int[] RemovePercents { get; set; } = [10];
    public int[] Seeds { get; set; } = [0];
}

public sealed class LdsOptions
{
    public int Subsets { get; set; } = 16;
    public double Alpha { get; set; } = 0.5;
}

public sealed class BrittlenessOptions
{
    public int Targets { get; set; } = 1;
    public int Budget { get; set; } = 7;
    public int RetrainsPerStep { get; set; } = 1;
    /// <summary>Largest support tried, as a percent of the training set.</summary>
    public int MaxSupportPercent { get; set; } = 50;
    public string[] Methods { get; set; } = ["trak", "esvm"];
}

/// <summary>Curation: remove the most suspect N% of the training images by each order, retrain with each seed,
/// measure held-out mIoU; random removal is the control. The 0% model (nothing removed) is always measured.</summary>
public sealed class CurationOptions
{
    /// <summary>Stands for the label-error queue's default detector (resolved by the worker's plug-in registry).</summary>
    public const string DefaultDetector = "default";
    /// <summary>The control order, always measured.</summary>
    public const string Random = "random";

    // New arrays each time: options objects must not share (and so mutate) one default array.
    public static int[] DefaultPercents => [10, 25, 50];
    public static int[] DefaultSeeds => [0, 1, 2, 3, 4];
    public static string[] DefaultOrders => [DefaultDetector, "confidence"];

    /// <summary>Train-image ranking methods (label-error detectors) whose most suspect images are removed first.</summary>
    public string[] Orders { get; set; } = DefaultOrders;
    public int[] Percents { get; set; } = DefaultPercents;
    public int[] Seeds { get; set; } = DefaultSeeds;
    /// <summary>Confidence level of the Student-t intervals over seeds.</summary>
    public double Level { get; set; } = 0.95;
}
