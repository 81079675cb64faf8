using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage.Repositories;
using Dapper;

namespace AttributionExplorer.Storage.Tests.Sqlite;

/// <summary>A database written by schema 6 (before the run ledger) migrated to the current schema: what it held stays
/// readable through the ports.</summary>
public class SchemaSixMigrationTests
{
    private static readonly string Started = DapperSetup.ToText(new DateTime(2025, 6, 1, 10, 0, 0, DateTimeKind.Utc));
    private static readonly string Finished = DapperSetup.ToText(new DateTime(2025, 6, 1, 10, 5, 0, DateTimeKind.Utc));

    /// <summary>Dataset 1 (train images 1–4, val 5–6); run 1 complete (trak, image) with target 1 on image 5; run 2
    /// running; checkpoint 1; evaluation 1 (lds) complete with two steps, evaluation 2 (curation) running with one; embedding set 1; job 1 done (target 1), job 2 running; export 1.</summary>
    private static void WriteSchemaSix(SqliteDatabase database)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        void Sql(string sql, object? args = null) => c.Execute(sql, args, tx);
        Sql("INSERT INTO datasets VALUES (1, 'old', @root, 'test', @Started)", new { root = Path.Combine(database.Paths.Root, "images"), Started });
        Sql("INSERT INTO categories VALUES (1, 3, 'cat', NULL, 1)");
        for (int i = 1; i <= 6; i++)
            Sql("INSERT INTO images VALUES (@i, 1, @coco, @split, @file, 3, 2)", new { i, coco = 100 + i, split = i <= 4 ? Splits.Train : Splits.Val, file = $"f{i}.png" });
        Sql("INSERT INTO checkpoints VALUES (1, 1, 7, @path, 0.5, '{\"lr\":1}', 2.0, @Started)", new { path = Path.Combine(database.Paths.Root, "checkpoints", "m7.bin"), Started });

        Sql("INSERT INTO attribution_runs VALUES (1, 1, 'trak', 'image', 'complete', '{\"k\":8}', 'h1', '{\"s\":1}', 4, NULL, @Started, @Finished)", new { Started, Finished });
        Sql("INSERT INTO attribution_runs VALUES (2, 1, 'trak', 'class', 'running', '{\"k\":8}', 'h2', '{}', 4, NULL, @Started, NULL)", new { Started });
        for (int p = 0; p < 4; p++)
            Sql("INSERT INTO run_train_order VALUES (@run, @p, @image)", new[] { new { run = 1, p, image = p + 1 }, new { run = 2, p, image = p + 1 } });
        Sql("INSERT INTO targets VALUES (1, 1, 5, 'image', NULL, NULL)");
        Sql("INSERT INTO scores VALUES (1, @dtype, @data)", new { dtype = (int)ScoreDtype.Float32, data = ScoreCodec.Encode([0.5f, -2f, 1f, 0f], ScoreDtype.Float32) });
        Sql("INSERT INTO topk VALUES (1, 1, 1, 3, 1.0), (1, 1, 2, 1, 0.5), (1, 0, 1, 2, -2.0), (1, 0, 2, 4, 0.0)");
        Sql("INSERT INTO overall_influence VALUES (1, 2, -2.0, 1), (1, 4, 0.0, 2), (1, 1, 0.5, 3), (1, 3, 1.0, 4)");
        Sql("INSERT INTO trak_scoring_matrices VALUES (1, 0, 1, 8, 4, @path, 'abc')", new { path = Path.Combine(database.Paths.Root, "trak", "m0.bin") });

        Sql("INSERT INTO evaluations VALUES (1, 1, 'lds', 'complete', '{\"m\":4}', 'eh', '{\"r\":1}', @Started, @Finished, 3.5)", new { Started, Finished });
        Sql("INSERT INTO evaluation_steps VALUES (1, 'subset0', '{\"x\":1}', 2.5), (1, 'subset1', '{\"x\":2}', 1.0)");
        Sql("INSERT INTO evaluations VALUES (2, 1, 'curation', 'running', '{\"s\":1}', 'eh2', NULL, @Started, NULL, 1.5)", new { Started });
        Sql("INSERT INTO evaluation_steps VALUES (2, 'seed0', '{\"miou\":0.5}', 1.5)");
        Sql("INSERT INTO embedding_sets VALUES (1, 1, 'moco', 2, 'enc.bin', '{}', 'mh', @Started)", new { Started });
        Sql("INSERT INTO embeddings VALUES (1, 1, @v)", new { v = ScoreCodec.Encode([0.6f, 0.8f], ScoreDtype.Float32) });
        Sql("INSERT INTO jobs VALUES (1, 1, 'trak_region', 'done', '{\"imageId\":5}', 1, '{\"pixels\":3}', NULL, 'w', @Started, @Started, @Finished)", new { Started, Finished });
        Sql("INSERT INTO jobs VALUES (2, 1, 'trak_region', 'running', '{\"imageId\":6}', NULL, NULL, NULL, 'dead', @Started, @Started, NULL)", new { Started });
        Sql("INSERT INTO exports VALUES (1, 1, 'ann', @Started, @rule, 1, 2, @sha)",
            new { Started, rule = new ExportRule(1, 25, []).ToJson(), sha = ExportHash.Of([1, 3]) });
        Sql("INSERT INTO export_images VALUES (1, 0, 1), (1, 1, 3)");
        tx.Commit();
    }

    [Fact]
    public void ASchemaSixDatabaseStaysReadableThroughThePorts()
    {
        using var db = new TempDatabase(migrate: false);
        var all = SqliteDatabase.EmbeddedMigrations();
        db.Database.Migrate(all.Take(6).ToList());
        Assert.Equal(6, db.Database.SchemaVersion);
        WriteSchemaSix(db.Database);

        db.Database.Migrate();
        Assert.Equal(all.Count, db.Database.SchemaVersion);
        using (var c = db.Database.Open())
            Assert.Empty(c.Query("PRAGMA foreign_key_check"));

        var ledger = new RunLedgerRepository(db.Database);
        var rankings = new RankingRunRepository(db.Database);
        var scores = new ScoreRepository(db.Database);
        var trainRankings = new TrainRankingRepository(db.Database);

        // The complete attribution run: ranking run, targets, scores, top-k and overall influence.
        var run = rankings.GetLatestComplete(1, AttributionMethods.Trak, TargetKinds.Image)!;
        Assert.Equal((1L, RunStatus.Complete, "{\"k\":8}", 4), (run.Id, run.Status, run.ParametersJson, run.TrainCount));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, rankings.GetTrainOrder(1));
        var target = Assert.Single(scores.GetTargetsOfRun(1));
        Assert.Equal((5L, TargetKinds.Image), (target.ImageId, target.Kind));
        Assert.Equal(new[] { 0.5f, -2f, 1f, 0f }, scores.GetScores(target.Id));
        Assert.Equal(new long[] { 3, 1 }, scores.GetInfluencers(target.Id, true, 0, 10).Select(i => i.TrainImageId));
        Assert.Equal(new long[] { 2, 4, 1, 3 }, trainRankings.Page(1, 0, 10).Select(o => o.TrainImageId));
        Assert.Equal(new OverallInfluence(2, -2f, 1), trainRankings.Of(1, 2));
        var ledgerRun = ledger.Get(1)!;
        Assert.Equal(("rank.trak", RunState.Complete), (ledgerRun.Kind, ledgerRun.State));
        var matrix = Assert.Single(new ScoringMatrixRepository(db.Database).Get(1));
        Assert.Equal(Path.Combine(db.Database.Paths.Root, "trak", "m0.bin"), matrix.Path);

        // The running one was interrupted: it is failed, with the reason, and stays invisible.
        var interrupted = ledger.Get(2)!;
        Assert.Equal(RunState.Failed, interrupted.State);
        Assert.Contains("interrupted", interrupted.Error);
        Assert.Equal(RunStatus.Failed, rankings.Get(2)!.Status);
        Assert.Equal(new long[] { 1 }, rankings.ListComplete(1).Select(r => r.Id));

        // The dataset and its checkpoint (a complete training run now).
        var dataset = new DatasetRepository(db.Database).Get(1)!;
        Assert.Equal(("old", "legacy-1", Path.Combine(db.Database.Paths.Root, "images")), (dataset.Name, dataset.Version, dataset.ImageRoot));
        var checkpoint = Assert.Single(new CheckpointRepository(db.Database).List(1));
        Assert.Equal((1L, 7, Path.Combine(db.Database.Paths.Root, "checkpoints", "m7.bin")), (checkpoint.Id, checkpoint.Seed, checkpoint.Path));
        Assert.Equal(("train", RunState.Complete), (ledger.Get(checkpoint.RunId)!.Kind, ledger.Get(checkpoint.RunId)!.State));

        // The evaluation: its results, and its steps as the run's units.
        var evaluation = Assert.Single(new EvaluationRepository(db.Database).LatestComplete(1));
        Assert.Equal((EvaluationKinds.Lds, EvaluationStatus.Complete, "{\"r\":1}", "{\"m\":4}", 3.5),
            (evaluation.Kind, evaluation.Status, evaluation.ResultsJson, evaluation.ParametersJson, evaluation.Seconds));
        Assert.NotNull(evaluation.FinishedUtc);
        var units = ledger.Units(evaluation.Id);
        Assert.Equal(new RunUnit("subset0", "{\"x\":1}", 2.5), units["subset0"]);
        Assert.Equal(new RunUnit("subset1", "{\"x\":2}", 1.0), units["subset1"]);
        Assert.Equal(2, units.Count);

        // The evaluation that was still running is queued to resume from its steps, and not shown as complete.
        var resumable = ledger.List(1, "eval." + EvaluationKinds.Curation).Single();
        Assert.Equal(RunState.Queued, resumable.State);
        Assert.Equal(EvaluationStatus.Running, new EvaluationRepository(db.Database).Get(resumable.Id)!.Status);
        Assert.Equal(new RunUnit("seed0", "{\"miou\":0.5}", 1.5), Assert.Single(ledger.Units(resumable.Id)).Value);

        // The embedding set, now of a complete run.
        var embeddings = new EmbeddingRepository(db.Database);
        var set = embeddings.GetLatest(1, EmbeddingKinds.Moco)!;
        Assert.Equal((1L, 2, db.Database.Paths.ToFull("enc.bin")), (set.Id, set.Dim, set.Source));
        Assert.Equal(new[] { 0.6f, 0.8f }, embeddings.GetVectors(1)[1]);
        Assert.Equal(("embed.moco", RunState.Complete), (ledger.Get(set.RunId)!.Kind, ledger.Get(set.RunId)!.State));

        // The jobs: the done one with its result, the running one queued again.
        var jobs = new JobRepository(db.Database).ListRecent(1, 10);
        Assert.Equal(2, jobs.Count);
        var running = jobs[0];
        var done = jobs[1];
        Assert.Equal((JobKinds.TrakRegion, JobStatus.Done, "{\"imageId\":5}", (long?)1, "{\"pixels\":3}"),
            (done.Kind, done.Status, done.RequestJson, done.ResultTargetId, done.ResultJson));
        Assert.NotNull(done.FinishedUtc);
        Assert.Equal((JobStatus.Queued, "{\"imageId\":6}"), (running.Status, running.RequestJson));
        Assert.Equal(running.Id, ledger.ClaimNext([JobRepository.RunKind(JobKinds.TrakRegion)], "w", TimeSpan.FromMinutes(1), DateTime.UtcNow, 3)!.Id);

        // The export.
        var exports = new ExportRepository(db.Database);
        var export = exports.Get(1)!;
        Assert.Equal(("ann", 2, 1L), (export.Author, export.ImageCount, export.Rule.RunId!.Value));
        Assert.Equal(new long[] { 1, 3 }, exports.GetImageIds(1));
        Assert.Equal(ExportHash.Of(exports.GetImageIds(1)), export.Sha256);

        // New runs are appended after the carried-over ones.
        var fresh = ledger.Ensure(1, "train", "fresh", "{}", []);
        Assert.True(fresh.Id > ledger.List(1).Where(r => r.Id != fresh.Id).Max(r => r.Id));
        using (var c = db.Database.Open())
            Assert.Empty(c.Query("PRAGMA foreign_key_check"));
    }
}
