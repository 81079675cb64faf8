using System.Data.Common;
using AttributionExplorer.Core.Domain;
using Dapper;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

public abstract class FlagRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private (IStorageUnderTest Storage, long DatasetId, long[] Train, long Val) Setup(int train = 4)
    {
        var s = CreateStorage();
        var d = ImportDataset(s, Import(train: train, val: 1));
        return (s, d.Id, d.Train, d.Val.Single());
    }

    private static int HistoryRows(IStorageUnderTest s)
    {
        using var c = s.OpenConnection();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM flag_history");
    }

    [SkippableFact]
    public void SavesAreReadBackAndAppendedToHistoryNewestFirst()
    {
        var (s, datasetId, train, _) = Setup();
        using var __ = s;
        var flags = s.Flags;
        Assert.Null(flags.Get(train[0]));
        Assert.Empty(flags.History(train[0]));

        var before = DateTime.UtcNow;
        var first = flags.Save(datasetId, train[0], FlagStates.Suspected, "mask misses the tail", "alice", expectedVersion: 0);
        Assert.True(first.Saved);
        Assert.Equal((train[0], FlagStates.Suspected, "mask misses the tail", "alice", 1),
            (first.Flag!.ImageId, first.Flag.State, first.Flag.Note, first.Flag.Author, first.Flag.Version));
        Assert.InRange(first.Flag.UpdatedUtc, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(DateTimeKind.Utc, first.Flag.UpdatedUtc.Kind);
        Assert.Equal(first.Flag, flags.Get(train[0]));

        var second = flags.Save(datasetId, train[0], FlagStates.Confirmed, "", "bob", expectedVersion: 1);
        Assert.True(second.Saved);
        Assert.Equal(2, second.Flag!.Version);
        Assert.Equal((FlagStates.Confirmed, "", "bob"), (flags.Get(train[0])!.State, flags.Get(train[0])!.Note, flags.Get(train[0])!.Author));

        var history = flags.History(train[0]);
        Assert.Equal(new[] { 2, 1 }, history.Select(h => h.Version));
        Assert.Equal(new[] { "bob", "alice" }, history.Select(h => h.Author));
        Assert.Equal(new[] { FlagStates.Confirmed, FlagStates.Suspected }, history.Select(h => h.State));
        Assert.Equal(new[] { "", "mask misses the tail" }, history.Select(h => h.Note));
        Assert.Equal(second.Flag.UpdatedUtc, history[0].ChangedUtc);
        Assert.Single(flags.History(train[0], limit: 1));
        Assert.Empty(flags.History(train[1]));
    }

    [SkippableFact]
    public void AStaleVersionWritesNothingAndReturnsTheCurrentFlag()
    {
        var (s, datasetId, train, _) = Setup();
        using var __ = s;
        var flags = s.Flags;
        var saved = flags.Save(datasetId, train[0], FlagStates.Suspected, "wrong class", "alice", 0).Flag!;

        // Someone who still thinks the image is unflagged, and someone who read a version that never existed.
        foreach (int stale in new[] { 0, 2, 7 })
        {
            var result = flags.Save(datasetId, train[0], FlagStates.Ok, "looks fine", "bob", stale);
            Assert.True(result.IsConflict);
            Assert.Equal(saved, result.Flag);
        }
        // Expecting a flag on an image nobody flagged is a conflict too, with nothing to show.
        var none = flags.Save(datasetId, train[1], FlagStates.Ok, "", "bob", 1);
        Assert.True(none.IsConflict);
        Assert.Null(none.Flag);

        Assert.Equal(saved, flags.Get(train[0]));
        Assert.Null(flags.Get(train[1]));
        Assert.Equal(1, HistoryRows(s));
    }

    [SkippableFact]
    public void OfTwoWritersThatReadTheSameVersionTheSecondGetsAConflictWithTheFirstsFlag()
    {
        var (s, datasetId, train, _) = Setup();
        using var __ = s;
        var alice = s.Flags;
        var bob = s.Flags;
        alice.Save(datasetId, train[0], FlagStates.Suspected, "", "carol", 0);

        int aliceRead = alice.Get(train[0])!.Version;
        int bobRead = bob.Get(train[0])!.Version;
        var aliceResult = alice.Save(datasetId, train[0], FlagStates.Confirmed, "alice's note", "alice", aliceRead);
        var bobResult = bob.Save(datasetId, train[0], FlagStates.Ok, "bob's note", "bob", bobRead);

        Assert.True(aliceResult.Saved);
        Assert.True(bobResult.IsConflict);
        Assert.Equal(aliceResult.Flag, bobResult.Flag);
        Assert.Equal(("alice", "alice's note", 2), (bobResult.Flag!.Author, bobResult.Flag.Note, bobResult.Flag.Version));
        Assert.Equal(new[] { "alice", "carol" }, bob.History(train[0]).Select(h => h.Author));
    }

    [SkippableFact]
    public void WritersRacingOnOneVersionLeaveExactlyOneWinnerPerRound()
    {
        var (s, datasetId, train, _) = Setup();
        using var __ = s;
        const int writers = 6;
        for (int round = 0; round < 3; round++)
        {
            using var start = new Barrier(writers);
            int expected = round;
            var results = new FlagSaveResult[writers];
            var errors = new Exception?[writers];
            var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
            {
                var repository = s.Flags;
                start.SignalAndWait();
                try { results[w] = repository.Save(datasetId, train[0], FlagStates.Suspected, $"round {expected} writer {w}", $"w{w}", expected); }
                catch (Exception e) { errors[w] = e; }
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            Assert.All(errors, e => Assert.Null(e));

            var winners = results.Where(r => r.Saved).ToArray();
            Assert.Single(winners);
            var winner = winners[0].Flag!;
            Assert.Equal(round + 1, winner.Version);
            Assert.All(results.Where(r => r.IsConflict), r => Assert.Equal(winner, r.Flag));
        }
        var flags = s.Flags;
        Assert.Equal(3, flags.Get(train[0])!.Version);
        Assert.Equal(new[] { 3, 2, 1 }, flags.History(train[0]).Select(h => h.Version));
        Assert.Equal(3, HistoryRows(s));
    }

    [SkippableFact]
    public void BadInputThrowsNamingTheFieldAndWritesNothing()
    {
        var (s, datasetId, train, val) = Setup();
        using var __ = s;
        var flags = s.Flags;
        void Rejects(string field, Action save) => Assert.Equal(field, Assert.ThrowsAny<ArgumentException>(save).ParamName);

        Rejects("state", () => flags.Save(datasetId, train[0], "wrong", "", "alice", 0));
        Rejects("state", () => flags.Save(datasetId, train[0], "Suspected", "", "alice", 0));
        Rejects("author", () => flags.Save(datasetId, train[0], FlagStates.Ok, "", "", 0));
        Rejects("author", () => flags.Save(datasetId, train[0], FlagStates.Ok, "", "   ", 0));
        Rejects("author", () => flags.Save(datasetId, train[0], FlagStates.Ok, "", new string('a', 101), 0));
        Rejects("note", () => flags.Save(datasetId, train[0], FlagStates.Ok, new string('n', 2001), "alice", 0));
        Rejects("expectedVersion", () => flags.Save(datasetId, train[0], FlagStates.Ok, "", "alice", -1));
        Rejects("imageId", () => flags.Save(datasetId, val, FlagStates.Ok, "", "alice", 0));
        Rejects("state", () => flags.List(datasetId, "nope", 0, 10));
        Rejects("state", () => flags.Count(datasetId, "nope"));
        Rejects("state", () => flags.FlaggedImageIds(datasetId, [FlagStates.Ok, "nope"]));
        Assert.Throws<KeyNotFoundException>(() => flags.Save(datasetId, 9999, FlagStates.Ok, "", "alice", 0));
        Assert.Throws<KeyNotFoundException>(() => flags.Save(datasetId + 1, train[0], FlagStates.Ok, "", "alice", 0));
        Assert.Equal(0, HistoryRows(s));
        Assert.Null(flags.Get(train[0]));

        // The limits themselves are allowed; a null note is stored as empty.
        Assert.True(flags.Save(datasetId, train[0], FlagStates.Ok, new string('n', 2000), new string('a', 100), 0).Saved);
        Assert.True(flags.Save(datasetId, train[1], FlagStates.Ok, null, "alice", 0).Saved);
        Assert.Equal("", flags.Get(train[1])!.Note);
    }

    [SkippableFact]
    public void ListPagesMostRecentFirstAndCountsByState()
    {
        var (s, datasetId, train, _) = Setup(train: 7);
        using var __ = s;
        var flags = s.Flags;
        string[] states = [FlagStates.Suspected, FlagStates.Confirmed, FlagStates.Suspected, FlagStates.Ok, FlagStates.Suspected, FlagStates.Confirmed];
        for (int i = 0; i < states.Length; i++)
        {
            flags.Save(datasetId, train[i], states[i], $"n{i}", "alice", 0);
            Thread.Sleep(2); // distinct updated_utc, so the expected order does not rest on the tie-break
        }
        // Re-saving train[0] makes it the most recent suspected flag.
        flags.Save(datasetId, train[0], FlagStates.Suspected, "again", "bob", 1);

        Assert.Equal(6, flags.Count(datasetId, null));
        Assert.Equal(3, flags.Count(datasetId, FlagStates.Suspected));
        Assert.Equal(2, flags.Count(datasetId, FlagStates.Confirmed));
        Assert.Equal(1, flags.Count(datasetId, FlagStates.Ok));

        long[] suspectedNewestFirst = [train[0], train[4], train[2]];
        Assert.Equal(suspectedNewestFirst[..2], flags.List(datasetId, FlagStates.Suspected, 0, 2).Select(f => f.ImageId));
        Assert.Equal(suspectedNewestFirst[2..], flags.List(datasetId, FlagStates.Suspected, 2, 2).Select(f => f.ImageId));
        Assert.Empty(flags.List(datasetId, FlagStates.Suspected, 3, 2));
        Assert.Equal(new[] { train[0], train[5], train[4], train[3], train[2], train[1] }, flags.List(datasetId, null, 0, 10).Select(f => f.ImageId));
        Assert.Equal(("again", "bob", 2), (flags.List(datasetId, null, 0, 1)[0].Note, flags.List(datasetId, null, 0, 1)[0].Author, flags.List(datasetId, null, 0, 1)[0].Version));

        Assert.Equal(new HashSet<long> { train[1], train[3], train[5] }, flags.FlaggedImageIds(datasetId, [FlagStates.Confirmed, FlagStates.Ok]));
        Assert.Empty(flags.FlaggedImageIds(datasetId, []));
        Assert.Equal(0, flags.Count(datasetId + 1, null));
    }

    [SkippableFact]
    public void HistoryRowsCannotBeUpdated()
    {
        var (s, datasetId, train, _) = Setup();
        using var __ = s;
        s.Flags.Save(datasetId, train[0], FlagStates.Ok, "", "alice", 0);
        using var c = s.OpenConnection();
        var error = Assert.ThrowsAny<DbException>(() => c.Execute("UPDATE flag_history SET note = 'rewritten'"));
        Assert.Contains("append-only", error.Message);
        Assert.Equal("", c.ExecuteScalar<string>("SELECT note FROM flag_history"));
    }
}
