using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Evaluations are ledger runs of kind "eval.{kind}": their steps are the run's units, their results its result.</summary>
public abstract class EvaluationRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private sealed record Lds(int M) : IRunParameters
    {
        public string RunKind => "eval." + EvaluationKinds.Lds;
    }

    private sealed record Curation(int S) : IRunParameters
    {
        public string RunKind => "eval." + EvaluationKinds.Curation;
    }

    private sealed record Measured(double X);

    [SkippableFact]
    public void ARunWithTheSameParametersResumesWithItsStoredSteps()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s);
        var run = executor.Ensure(d.Id, d.Version, new Lds(4), []);
        Assert.NotNull(s.Ledger.TryClaim(run.Id, Worker, TimeSpan.FromMinutes(5), DateTime.UtcNow));
        var evaluation = s.Evaluations.Get(run.Id)!;
        Assert.Equal((EvaluationKinds.Lds, EvaluationStatus.Running, d.Id), (evaluation.Kind, evaluation.Status, evaluation.DatasetId));
        Assert.Equal(run.Identity, evaluation.ParametersHash);
        Assert.Null(evaluation.ResultsJson);
        s.Ledger.SaveUnit(run.Id, Worker, new RunUnit("subset0", "{\"X\":1}", 2.5));
        s.Ledger.SaveUnit(run.Id, Worker, new RunUnit("subset1", "{\"X\":2}", 1.5));
        s.Ledger.SaveUnit(run.Id, Worker, new RunUnit("subset1", "{\"X\":3}", 1.0));

        var again = executor.Ensure(d.Id, d.Version, new Lds(4), []);
        Assert.Equal(run.Id, again.Id);
        Assert.Equal(new Dictionary<string, string> { ["subset0"] = "{\"X\":1}", ["subset1"] = "{\"X\":3}" },
            s.Ledger.Units(run.Id).ToDictionary(u => u.Key, u => u.Value.ValueJson));
        Assert.Equal(3.5, s.Ledger.Units(run.Id).Values.Sum(u => u.Seconds), 9);

        var outcome = executor.Execute(again, scope => scope.Unit("subset0", () => new Measured(-1)).X + scope.Unit("subset1", () => new Measured(-1)).X);
        Assert.Equal(4.0, outcome.Result);
        Assert.NotEqual(run.Id, executor.Ensure(d.Id, d.Version, new Lds(8), []).Id);
    }

    [SkippableFact]
    public void LatestCompleteIsTheNewestCompleteRunOfEachKind()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var executor = Executor(s);
        var old = executor.Execute(d.Id, d.Version, new Curation(0), [], _ => new { old = true }).Run;
        var newer = executor.Execute(d.Id, d.Version, new Curation(1), [], _ => new { old = false }).Run;
        executor.Ensure(d.Id, d.Version, new Lds(4), []); // queued: not shown
        var running = executor.Ensure(d.Id, d.Version, new Lds(5), []);
        Assert.NotNull(s.Ledger.TryClaim(running.Id, Worker, TimeSpan.FromMinutes(5), DateTime.UtcNow)); // running: not shown
        CompleteRanking(s, d, "trak", "image", [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], Core.Scores.ScoreDtype.Float32, 2); // not an evaluation

        var latest = s.Evaluations.LatestComplete(d.Id);
        var only = Assert.Single(latest);
        Assert.Equal(newer.Id, only.Id);
        Assert.Equal("{\"old\":false}", only.ResultsJson);
        Assert.Equal((EvaluationKinds.Curation, EvaluationStatus.Complete), (only.Kind, only.Status));
        Assert.NotNull(only.FinishedUtc);
        Assert.Equal(RunParameters.Serialize(new Curation(1)), only.ParametersJson);
        Assert.Contains("\"s\":1", only.ParametersJson);
        // Asking again for completed parameters returns the complete run (nothing is recomputed).
        var reused = executor.Execute(d.Id, d.Version, new Curation(0), [], _ => new { old = (bool?)null });
        Assert.True(reused.Reused);
        Assert.Equal(old.Id, reused.Run.Id);
        Assert.Equal("{\"old\":true}", s.Evaluations.Get(old.Id)!.ResultsJson);
        Assert.Empty(s.Evaluations.LatestComplete(d.Id + 1));
    }

    [SkippableFact]
    public void MissingRunsAndOtherKindsAreNotEvaluations()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        Assert.Null(s.Evaluations.Get(12345));
        Assert.Null(s.Evaluations.Get(CompleteRun(s, d, "train").Id));
        Assert.Throws<RunLeaseLostException>(() => s.Ledger.Complete(12345, Worker, "{}", 0));
    }
}
