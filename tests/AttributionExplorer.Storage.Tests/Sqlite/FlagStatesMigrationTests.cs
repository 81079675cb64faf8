using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Tests.Sqlite;

/// <summary>Migration 0013 rebuilds the flag tables to allow "fixed": flags and their history written before stay as
/// they were, and the history stays append-only.</summary>
public class FlagStatesMigrationTests
{
    [Fact]
    public void FlagsWrittenBeforeTheFixedStateSurviveTheRebuild()
    {
        using var db = new TempDatabase(migrate: false);
        var all = SqliteDatabase.EmbeddedMigrations();
        int before = all.ToList().FindIndex(script => script.Contains("'fixed'"));
        Assert.True(before > 0, "no migration adds the 'fixed' flag state");
        db.Database.Migrate(all.Take(before).ToList());
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        long image = datasets.GetImages(datasetId, Splits.Train, 0, 1).Single().Id;
        var oldFlags = new FlagRepository(db.Database);
        oldFlags.Save(datasetId, image, FlagStates.Suspected, "first", "alice", 0);
        oldFlags.Save(datasetId, image, FlagStates.Confirmed, "second", "bob", 1);
        // The old schema refuses the new state.
        Assert.ThrowsAny<SqliteException>(() => oldFlags.Save(datasetId, image, FlagStates.Fixed, "", "carol", 2));
        var stored = oldFlags.Get(image)!;

        db.Database.Migrate();

        var flags = new FlagRepository(db.Database);
        Assert.Equal(stored, flags.Get(image));
        Assert.Equal(["bob", "alice"], flags.History(image).Select(h => h.Author));
        Assert.True(flags.Save(datasetId, image, FlagStates.Fixed, "relabelled", "carol", 2).Saved);
        Assert.Equal([FlagStates.Fixed, FlagStates.Confirmed, FlagStates.Suspected], flags.History(image).Select(h => h.State));
        using var c = db.Database.Open();
        Assert.Contains("append-only", Assert.ThrowsAny<SqliteException>(() => c.Execute("UPDATE flag_history SET note = 'x'")).Message);
        Assert.Empty(c.Query("PRAGMA foreign_key_check"));
        Assert.Equal(2, c.ExecuteScalar<int>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_flags_state', 'ix_flag_history_image')"));
    }
}
