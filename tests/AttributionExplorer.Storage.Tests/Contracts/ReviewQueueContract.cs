using AttributionExplorer.Core.Domain;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>The label-error queue as a reviewer filters it: a detector's order narrowed by flag state, class and score
/// range, each row with its COCO ids and its current flag.</summary>
public abstract class ReviewQueueContract
{
    protected abstract IStorageUnderTest CreateStorage();

    /// <summary>6 training images (COCO ids 100–105; even ones hold class 3, odd ones class 90) ranked 105 first with
    /// scores 0.6 … 0.1; 104 open, 102 a confirmed error, 101 not an error, 100 fixed.</summary>
    private (IStorageUnderTest Storage, Dataset Dataset, long Run) Setup()
    {
        var s = CreateStorage();
        var d = ImportDataset(s, Import(train: 6, val: 1));
        long run = Executor(s).Execute(d.Id, d.Version, new TestRankingParameters("confidence", "train"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, "confidence", "train", d.Train);
            s.TrainRankings.Write(scope.RunId, Enumerable.Range(0, 6).Reverse().Select(i => (d.Train[i], (i + 1) / 10f)).ToList());
            return new TestRunResult(6);
        }).Run.Id;
        s.Flags.Save(d.Id, d.Train[4], FlagStates.Suspected, "tail missing", "alice", 0);
        s.Flags.Save(d.Id, d.Train[2], FlagStates.Confirmed, "", "bob", 0);
        s.Flags.Save(d.Id, d.Train[1], FlagStates.Ok, "", "bob", 0);
        s.Flags.Save(d.Id, d.Train[0], FlagStates.Fixed, "relabelled", "carol", 0);
        return (s, d, run);
    }

    private static int[] Ranks(QueueSlice slice) => slice.Items.Select(i => i.Rank).ToArray();

    [SkippableFact]
    public void EachRowCarriesItsCocoIdAndFlagAndTheStateFilterNarrowsTheQueue()
    {
        var (s, d, run) = Setup();
        using var __ = s;
        var all = s.TrainRankings.Queue(run, false, QueueFilter.None, 0, 50);
        Assert.Equal(6, all.Total);
        Assert.Equal([1, 2, 3, 4, 5, 6], Ranks(all));
        Assert.Equal([105L, 104, 103, 102, 101, 100], all.Items.Select(i => i.CocoImageId));
        Assert.Equal(d.Train[5], all.Items[0].TrainImageId);
        Assert.Null(all.Items[0].Flag);
        Assert.Equal((FlagStates.Suspected, "alice", "tail missing", 1), (all.Items[1].Flag!.State, all.Items[1].Flag!.Author, all.Items[1].Flag!.Note, all.Items[1].Flag!.Version));
        Assert.Equal(0.5f, all.Items[1].Score);
        Assert.Null(all.Items[1].AnnotationId);

        Assert.Equal([1, 3], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(QueueFilter.Unflagged), 0, 50)));
        Assert.Equal([4], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(FlagStates.Confirmed), 0, 50)));
        Assert.Equal([5], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(FlagStates.Ok), 0, 50)));
        var fixedOnes = s.TrainRankings.Queue(run, false, new QueueFilter(FlagStates.Fixed), 0, 50);
        Assert.Equal((1, 6, "carol"), (fixedOnes.Total, fixedOnes.Items.Single().Rank, fixedOnes.Items.Single().Flag!.Author));

        // A new flag shows in the next read.
        s.Flags.Save(d.Id, d.Train[5], FlagStates.Confirmed, "", "dave", 0);
        Assert.Equal([1, 4], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(FlagStates.Confirmed), 0, 50)));
        Assert.Equal([3], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(QueueFilter.Unflagged), 0, 50)));
    }

    [SkippableFact]
    public void ClassAndScoreRangeCombineAndPagingCountsTheFilteredRows()
    {
        var (s, _, run) = Setup();
        using var __ = s;
        Assert.Equal([2, 4, 6], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(CategoryCocoId: 3), 0, 50)));
        Assert.Equal([1, 3], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(QueueFilter.Unflagged, 90), 0, 50)));
        Assert.Equal([3, 4], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(MinScore: 0.25, MaxScore: 0.45), 0, 50)));
        Assert.Equal([1, 2], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(MinScore: 0.45), 0, 50)));
        Assert.Equal([5, 6], Ranks(s.TrainRankings.Queue(run, false, new QueueFilter(MaxScore: 0.25), 0, 50)));
        Assert.Empty(s.TrainRankings.Queue(run, false, new QueueFilter(CategoryCocoId: 7), 0, 50).Items);

        var page = s.TrainRankings.Queue(run, false, new QueueFilter(CategoryCocoId: 3), 1, 1);
        Assert.Equal(3, page.Total);
        Assert.Equal([4], Ranks(page));
        var beyond = s.TrainRankings.Queue(run, false, QueueFilter.None, 40, 10);
        Assert.Equal((6, 0), (beyond.Total, beyond.Items.Count));
        Assert.Equal(0, s.TrainRankings.Queue(run + 1000, false, QueueFilter.None, 0, 10).Total);
    }

    [SkippableFact]
    public void APositionNamesTheMatchingNeighboursAndHowManyComeBefore()
    {
        var (s, _, run) = Setup();
        using var __ = s;
        var cats = new QueueFilter(CategoryCocoId: 3);
        var atFour = s.TrainRankings.PositionInQueue(run, false, cats, 4);
        Assert.Equal((1, 2, 6), (atFour.Before, atFour.Previous!.Rank, atFour.Next!.Rank));
        // Rank 3 is not a class-3 image: its neighbours in the filtered queue are still found.
        var atThree = s.TrainRankings.PositionInQueue(run, false, cats, 3);
        Assert.Equal((1, 2, 4), (atThree.Before, atThree.Previous!.Rank, atThree.Next!.Rank));
        var first = s.TrainRankings.PositionInQueue(run, false, cats, 2);
        Assert.Equal((0, null, 4), (first.Before, first.Previous, first.Next!.Rank));
        var last = s.TrainRankings.PositionInQueue(run, false, QueueFilter.None, 6);
        Assert.Equal((5, 5), (last.Before, last.Previous!.Rank));
        Assert.Null(last.Next);
    }

    [SkippableFact]
    public void AnObjectQueueFiltersByTheAnnotationsClassAndTheImagesFlag()
    {
        var (s, d, _) = Setup();
        using var __ = s;
        long Annotation(int i) => s.Datasets.GetAnnotations(d.Train[i]).Single().Id;
        long run = Executor(s).Execute(d.Id, d.Version, new TestRankingParameters("object-confidence", "train-objects"), [], scope =>
        {
            s.RankingRuns.Begin(scope.RunId, d.Id, "object-confidence", "train-objects", d.Train);
            s.TrainRankings.WriteObjects(scope.RunId, [(Annotation(2), d.Train[2], 0.1f), (Annotation(1), d.Train[1], 0.2f), (Annotation(3), d.Train[3], 0.3f)]);
            return new TestRunResult(3);
        }).Run.Id;

        var all = s.TrainRankings.Queue(run, true, QueueFilter.None, 0, 10);
        Assert.Equal([1002L, 1001, 1003], all.Items.Select(i => i.AnnotationCocoId!.Value));
        Assert.Equal([Annotation(2), Annotation(1), Annotation(3)], all.Items.Select(i => i.AnnotationId!.Value));
        Assert.Equal([3, 90, 90], all.Items.Select(i => i.AnnotationCategoryCocoId!.Value));
        Assert.Equal([102L, 101, 103], all.Items.Select(i => i.CocoImageId));
        Assert.Equal([2, 3], Ranks(s.TrainRankings.Queue(run, true, new QueueFilter(CategoryCocoId: 90), 0, 10)));
        var confirmed = s.TrainRankings.Queue(run, true, new QueueFilter(FlagStates.Confirmed), 0, 10);
        Assert.Equal((1, "bob"), (confirmed.Items.Single().Rank, confirmed.Items.Single().Flag!.Author));
        Assert.Equal([3], Ranks(s.TrainRankings.Queue(run, true, new QueueFilter(MinScore: 0.25), 0, 10)));
        var position = s.TrainRankings.PositionInQueue(run, true, new QueueFilter(CategoryCocoId: 90), 3);
        Assert.Equal((1, 2), (position.Before, position.Previous!.Rank));
    }

    [SkippableFact]
    public void ABadFilterThrowsNamingTheField()
    {
        var (s, _, run) = Setup();
        using var __ = s;
        void Rejects(string field, QueueFilter filter) =>
            Assert.Equal(field, Assert.ThrowsAny<ArgumentException>(() => s.TrainRankings.Queue(run, false, filter, 0, 10)).ParamName);
        Rejects("state", new QueueFilter("done"));
        Rejects("minScore", new QueueFilter(MinScore: 0.5, MaxScore: 0.1));
        Rejects("minScore", new QueueFilter(MinScore: double.NaN));
        Rejects("maxScore", new QueueFilter(MaxScore: double.PositiveInfinity));
        Assert.Equal("state", Assert.ThrowsAny<ArgumentException>(() => s.TrainRankings.PositionInQueue(run, false, new QueueFilter("done"), 1)).ParamName);
        Assert.Equal("offset", Assert.ThrowsAny<ArgumentException>(() => s.TrainRankings.Queue(run, false, QueueFilter.None, -1, 10)).ParamName);
    }
}
