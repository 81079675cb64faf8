using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class EvaluationRepositoryTests
{
    private static (TempDatabase Db, long DatasetId) Setup()
    {
        var db = new TempDatabase();
        return (db, new DatasetRepository(db.Database).Import(TempDatabase.SampleImport()));
    }

    [Fact]
    public void ARunWithTheSameParametersResumesWithItsStoredSteps()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var repo = new EvaluationRepository(db.Database);
        var run = repo.BeginOrResume(datasetId, EvaluationKinds.Lds, "{\"m\":4}", "h1");
        Assert.Equal(EvaluationStatus.Running, run.Status);
        repo.SaveStep(run.Id, "subset0", "{\"x\":1}", 2.5);
        repo.SaveStep(run.Id, "subset1", "{\"x\":2}", 1.5);
        repo.SaveStep(run.Id, "subset1", "{\"x\":3}", 1.0);

        var again = repo.BeginOrResume(datasetId, EvaluationKinds.Lds, "{\"m\":4}", "h1");
        Assert.Equal(run.Id, again.Id);
        Assert.Equal(new Dictionary<string, string> { ["subset0"] = "{\"x\":1}", ["subset1"] = "{\"x\":3}" }, repo.GetSteps(run.Id));
        Assert.Equal(5.0, again.Seconds, 9);

        Assert.NotEqual(run.Id, repo.BeginOrResume(datasetId, EvaluationKinds.Lds, "{\"m\":8}", "h2").Id);
    }

    [Fact]
    public void LatestCompleteIsTheNewestCompleteRunOfEachKind()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var repo = new EvaluationRepository(db.Database);
        var old = repo.BeginOrResume(datasetId, EvaluationKinds.Curation, "{}", "a");
        repo.Complete(old.Id, "{\"old\":true}");
        var newer = repo.BeginOrResume(datasetId, EvaluationKinds.Curation, "{\"s\":1}", "b");
        repo.Complete(newer.Id, "{\"old\":false}");
        repo.BeginOrResume(datasetId, EvaluationKinds.Lds, "{}", "c"); // still running: not shown

        var latest = repo.LatestComplete(datasetId);
        var only = Assert.Single(latest);
        Assert.Equal(newer.Id, only.Id);
        Assert.Equal("{\"old\":false}", only.ResultsJson);
        Assert.NotNull(only.FinishedUtc);
        // Asking again for completed parameters returns the complete run (nothing is recomputed).
        Assert.Equal(old.Id, repo.BeginOrResume(datasetId, EvaluationKinds.Curation, "{}", "a").Id);
    }

    [Fact]
    public void UnknownKindsAndMissingRunsAreErrors()
    {
        var (db, datasetId) = Setup();
        using var _ = db;
        var repo = new EvaluationRepository(db.Database);
        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => repo.BeginOrResume(datasetId, "nope", "{}", "x")).Message);
        Assert.Throws<KeyNotFoundException>(() => repo.Complete(12345, "{}"));
    }
}
