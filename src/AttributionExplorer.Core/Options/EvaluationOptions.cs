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
        return problems;
    }

    internal void ClearArraysForBinding()
    {
        Counterfactual.RemovePercents = [];
        Counterfactual.Seeds = [];
        Brittleness.Methods = [];
        Curation.Percents = [];
        Curation.Seeds = [];
    }

    internal void FillEmptyArrays()
    {
        if (Counterfactual.RemovePercents.Length == 0) Counterfactual.RemovePercents = [10];
        if (Counterfactual.Seeds.Length == 0) Counterfactual.Seeds = [0];
        if (Brittleness.Methods.Length == 0) Brittleness.Methods = ["trak", "esvm"];
        if (Curation.Percents.Length == 0) Curation.Percents = [0, 10, 20, 30, 40, 50];
        if (Curation.Seeds.Length == 0) Curation.Seeds = [0, 1];
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

public sealed class CurationOptions
{
    public int[] Percents { get; set; } = [0, 10, 20, 30, 40, 50];
    public int[] Seeds { get; set; } = [0, 1];
}
