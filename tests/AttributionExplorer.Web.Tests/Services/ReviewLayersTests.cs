using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Tests.Services;

/// <summary>The seeded held-out image is 3×2 with one "cat" (model index 1) at pixels (1,0), (2,0), (1,1); models see
/// its center 2×2 crop (columns 1 and 2), where the label reads [1, 1, 1, 0].</summary>
public sealed class ReviewLayersTests : IDisposable
{
    private readonly SeededDatabase db = new();
    private readonly CheckpointRepository checkpoints;

    public ReviewLayersTests() => checkpoints = new CheckpointRepository(db.Database);

    public void Dispose() => db.Dispose();

    private ImageRecord HeldOut => db.Datasets.GetImage(db.HeldOut)!;

    [Fact]
    public void TheEnsemblePredictionIsTheVoteOfEveryCheckpointThatStoredOne()
    {
        Assert.Null(ReviewLayers.Prediction(checkpoints, HeldOut));
        long a = db.AddCheckpoint(0, (db.HeldOut, [1, 0, 1, 0]));
        long b = db.AddCheckpoint(1, (db.HeldOut, [1, 0, 1, 1]), (db.Train[0], [0, 0, 0, 0]));
        db.AddCheckpoint(2, (db.Train[0], [1, 1, 1, 1])); // no prediction of the held-out image: not a member

        var ensemble = ReviewLayers.Prediction(checkpoints, HeldOut)!;
        Assert.Equal([a, b], ensemble.CheckpointIds);
        Assert.Equal(2, ensemble.Size);
        Assert.Equal(new byte[] { 1, 0, 1, 0 }, ensemble.Labels); // the last pixel is a tie: the smaller label
    }

    [Fact]
    public void TheLabelIsReadAtTheModelsResolutionAndComparedPixelByPixel()
    {
        var annotations = db.Datasets.GetAnnotations(db.HeldOut);
        var categories = db.Datasets.GetCategories(db.DatasetId);
        Assert.Equal(new byte[] { 1, 1, 1, 0 }, ReviewLayers.LabelsAt(HeldOut, annotations, categories, 2));
        var ensemble = new ReviewLayers.Ensemble([1], 2, [1, 0, 1, 0]);
        Assert.Equal([false, true, false, false], ReviewLayers.Disagreement(HeldOut, annotations, categories, ensemble));
    }

    [Fact]
    public void ASelectionIsOneObjectOrEveryObjectOfAClass()
    {
        var annotations = db.Datasets.GetAnnotations(db.HeldOut);
        var categories = db.Datasets.GetCategories(db.DatasetId);
        bool[] cat = [false, true, true, false, true, false];
        Assert.Equal(cat, ReviewLayers.Selection(HeldOut, annotations, categories, annotations[0].Id, null));
        Assert.Equal(cat, ReviewLayers.Selection(HeldOut, annotations, categories, null, 1));
        Assert.Null(ReviewLayers.Selection(HeldOut, annotations, categories, null, 2)); // "toothbrush" is not in this image
        Assert.Null(ReviewLayers.Selection(HeldOut, annotations, categories, 999_999, null));
        Assert.Null(ReviewLayers.Selection(HeldOut, annotations, categories, null, null));
    }
}
