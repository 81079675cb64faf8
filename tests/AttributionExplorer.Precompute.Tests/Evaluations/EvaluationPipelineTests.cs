using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Evaluations;
using AttributionExplorer.Precompute.Tests.Pipeline;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Evaluations;

/// <summary>All five evaluations on a tiny demo: results stored and well-formed, a rerun retrains nothing, and a run
/// interrupted mid-way resumes with only its missing steps.</summary>
public class EvaluationPipelineTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-eval").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private AppOptions Options()
    {
        var options = TinyDemo.Options(root);
        options.Evaluation = new EvaluationOptions
        {
            Epochs = 1, Seed = 3,
            Counterfactual = new CounterfactualOptions { Targets = 2, RemovePercents = [10], Seeds = [0] },
            Lds = new LdsOptions { Subsets = 4, Alpha = 0.5 },
            Brittleness = new BrittlenessOptions { Targets = 1, Budget = 3, MaxSupportPercent = 50, Methods = ["trak", "moco"] },
            Curation = new CurationOptions { Percents = [0, 50], Seeds = [0] },
        };
        return options;
    }

    private static Core.Domain.DatasetInfo Prepare(PipelineContext context) => TinyDemo.Run(context).Dataset;

    private static void EvaluateAll(PipelineContext context, Core.Domain.DatasetInfo dataset) =>
        EvaluationRunner.Run(context, dataset, context.Options.Demo.Model, context.Options.Demo.Training, PluginRegistry.Evaluations);

    private static long CountSteps(PipelineContext context)
    {
        using var c = context.Database.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM run_units u JOIN runs r ON r.id = u.run_id WHERE r.kind LIKE 'eval.%'";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void AllFiveRunStoreTheirResultsAndResumeWithoutRetraining()
    {
        var context = new PipelineContext(Options());
        var dataset = Prepare(context);
        EvaluateAll(context, dataset);

        var runs = context.Evaluations.LatestComplete(dataset.Id).ToDictionary(r => r.Kind);
        Assert.Equal(EvaluationKinds.All.Order(), runs.Keys.Order());
        Assert.All(runs.Values, r => Assert.Contains("\"Seed\":3", r.ParametersJson));

        var labels = System.Text.Json.JsonSerializer.Deserialize<LabelErrorResult>(runs[EvaluationKinds.LabelErrors].ResultsJson!)!;
        Assert.Equal(20, labels.TrainImages);
        Assert.Equal(2, labels.PlantedErrors);
        Assert.Equal(["influence", "confidence", "loss", "self-influence", "heldout-objects", "train-others", "suspect", "trak_class_overall", "random"],
            labels.Methods.Select(m => m.Method));
        Assert.Equal("suspect", labels.QueueDefault);
        Assert.Equal(2, labels.ErrorsByKind!.Values.Sum());
        Assert.All(labels.Methods, m =>
        {
            Assert.Equal(20, m.PrecisionCurve.Length);
            Assert.Equal(0.1, m.PrecisionCurve[^1], 9); // all 20 inspected: precision = base rate
            Assert.InRange(m.Auroc, 0, 1);
            Assert.InRange(m.Auprc, m.Figures!.AveragePrecision.Low, m.Figures.AveragePrecision.High);
            Assert.Equal(labels.ErrorsByKind.Keys.Order(), m.AurocByKind!.Keys);
            Assert.Equal(m.Method == "confidence", m.ApGainOverConfidence is null);
        });

        var curation = System.Text.Json.JsonSerializer.Deserialize<CurationResult>(runs[EvaluationKinds.Curation].ResultsJson!)!;
        Assert.Equal([0, 10], curation.Points.Select(p => p.Removed));
        Assert.Equal((2, 2), (curation.SelectionImages, curation.EvaluationImages));
        Assert.All(curation.Points, p => Assert.InRange(p.MeanIou.Mean, 0, 1));
        Assert.Equal(curation.Points[1].PerSeed[0] - curation.Points[0].PerSeed[0], curation.GainAt50!.Mean, 12);
        Assert.Equal([0, 10], curation.RandomPoints!.Select(p => p.Removed));
        Assert.Equal(curation.Points[0].PerSeed, curation.RandomPoints![0].PerSeed); // 0% is one shared model
        Assert.Equal(curation.Points[1].PerSeed[0] - curation.RandomPoints[1].PerSeed[0], curation.GainOverRandomAt50!.Mean, 12);

        var lds = System.Text.Json.JsonSerializer.Deserialize<LdsResult>(runs[EvaluationKinds.Lds].ResultsJson!)!;
        Assert.Equal((4, 10), (lds.Subsets, lds.SubsetSize));
        Assert.Contains(lds.Methods, m => m.Method == "trak" && m.TargetKind == "image");
        Assert.All(lds.Methods, m => Assert.InRange(m.Spearman.Mean, -1, 1));

        var counterfactual = System.Text.Json.JsonSerializer.Deserialize<CounterfactualResult>(runs[EvaluationKinds.Counterfactual].ResultsJson!)!;
        Assert.Equal(["trak", "trak_image", "esvm", "moco", "random"], counterfactual.Cells.Select(c => c.Method));
        Assert.All(counterfactual.Cells, c => { Assert.Equal(2, c.Removed); Assert.Equal(2, c.LossIncrease.Count); });

        var brittle = System.Text.Json.JsonSerializer.Deserialize<BrittlenessResult>(runs[EvaluationKinds.Brittleness].ResultsJson!)!;
        Assert.Equal(10, brittle.MaxSupport);
        Assert.All(brittle.Targets, t => { Assert.True(t.FullDataOutput > 0); Assert.InRange(t.Steps.Count, 1, 3); Assert.Equal(10, t.Steps[0].Support); });

        // A rerun with the same settings retrains nothing.
        long steps = CountSteps(context);
        var again = new PipelineContext(Options());
        EvaluateAll(again, dataset);
        Assert.Equal(steps, CountSteps(again));
        Assert.Equal(runs.Values.Select(r => r.Id).Order(), again.Evaluations.LatestComplete(dataset.Id).Select(r => r.Id).Order());

        // Interrupted LDS (one subset model missing, not completed): only that subset is retrained.
        long lds1 = runs[EvaluationKinds.Lds].Id;
        using (var c = context.Database.Open())
        using (var command = c.CreateCommand())
        {
            command.CommandText = $"DELETE FROM run_units WHERE run_id = {lds1} AND unit_key = 'subset2'; UPDATE runs SET state = 'queued', result_json = NULL WHERE id = {lds1}";
            command.ExecuteNonQuery();
        }
        var resumed = new PipelineContext(Options());
        EvaluationRunner.Run(resumed, dataset, resumed.Options.Demo.Model, resumed.Options.Demo.Training, [PluginRegistry.Evaluations.Single(e => e.Info.Name == EvaluationKinds.Lds)]);
        Assert.Equal(steps, CountSteps(resumed));
        var rerun = resumed.Evaluations.Get(lds1)!;
        Assert.Equal(EvaluationStatus.Complete, rerun.Status);
    }

    [Fact]
    public void OutOfRangeSettingsAreNamedByTheirKeyBeforeAnythingIsStored()
    {
        var options = Options();
        options.Evaluation.Lds.Alpha = 1;
        options.Evaluation.Brittleness.Methods = ["trak", "tarot"];
        var context = new PipelineContext(options);
        var dataset = DemoStep.EnsureImported(context);
        var error = Assert.Throws<ArgumentException>(() => EvaluateAll(context, dataset));
        Assert.Contains("appsettings.json", error.Message);
        Assert.Contains("AttributionExplorer:Evaluation:Lds:Alpha = 1", error.Message);
        Assert.Contains("AttributionExplorer:Evaluation:Brittleness:Methods = trak, tarot", error.Message);
        Assert.Empty(context.Evaluations.LatestComplete(dataset.Id));
        Assert.Equal(0, CountSteps(context));
        using var c = context.Database.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runs WHERE kind LIKE 'eval.%'";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void EvaluationsNeedTrakRunsAndSayWhich()
    {
        var context = new PipelineContext(Options());
        var dataset = DemoStep.EnsureImported(context);
        var error = Assert.Throws<InvalidOperationException>(() => EvaluateAll(context, dataset));
        Assert.Contains("TRAK run", error.Message);
        Assert.Contains("precompute trak", error.Message);
    }
}
