using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Everything a dataset import writes, applied in one transaction (all or nothing).</summary>
public sealed record DatasetImport(
    string Name,
    string ImageRoot,
    string SourceDescription,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<ImportedImage> Images,
    IReadOnlyList<PlantedErrorByCocoId> PlantedErrors);

public sealed record ImportedImage(long CocoId, string Split, string FileName, int Width, int Height,
    IReadOnlyList<ImportedAnnotation> Annotations);

public sealed record ImportedAnnotation(long CocoId, int CategoryCocoId, bool IsCrowd,
    Core.Masks.RleMask Mask, double[] Bbox, double Area);

public sealed record PlantedErrorByCocoId(long ImageCocoId, string Kind, string Detail);

public interface IDatasetRepository
{
    /// <summary>Imports a dataset atomically; throws (and writes nothing) if a dataset of that name exists.</summary>
    long Import(DatasetImport import);
    DatasetInfo? FindByName(string name);
    IReadOnlyList<DatasetInfo> List();
    DatasetInfo? Get(long datasetId);
    IReadOnlyList<Category> GetCategories(long datasetId);
    int CountImages(long datasetId, string split);
    /// <summary>Images of a split ordered by id, one page at a time.</summary>
    IReadOnlyList<ImageRecord> GetImages(long datasetId, string split, int offset, int limit);
    ImageRecord? GetImage(long imageId);
    IReadOnlyList<ImageRecord> GetImagesByIds(IReadOnlyCollection<long> imageIds);
    IReadOnlyList<AnnotationRecord> GetAnnotations(long imageId);
    /// <summary>All annotations of a split, keyed by image id (for training).</summary>
    IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> GetAnnotationsForSplit(long datasetId, string split);
    IReadOnlyList<PlantedError> GetPlantedErrors(long datasetId);
    /// <summary>Records an uploaded image (split "upload", a negative COCO id, no annotations); returns its id.</summary>
    long AddUpload(long datasetId, string fileName, int width, int height);
}

public interface ICheckpointRepository
{
    long Add(CheckpointRecord checkpoint);
    IReadOnlyList<CheckpointRecord> List(long datasetId);
    /// <summary>A checkpoint trained with exactly these hyperparameters and seed, if any (to skip retraining).</summary>
    CheckpointRecord? Find(long datasetId, int seed, string hyperparametersJson);
    void SavePredictions(IReadOnlyList<PredictionRecord> predictions);
    PredictionRecord? GetPrediction(long checkpointId, long imageId);
}

public interface IAttributionRepository
{
    /// <summary>Starts a run in status "running"; it stays invisible to readers until <see cref="CompleteRun"/>.</summary>
    long BeginRun(long datasetId, string method, string targetKind, string parametersJson, string parametersHash,
        IReadOnlyList<long> trainImageIdsInScoreOrder);
    /// <summary>Writes targets with their score vectors (length = train count, in the run's score order) in one transaction.</summary>
    void WriteScores(long runId, IReadOnlyList<(NewTarget Target, float[] Scores)> rows, ScoreDtype dtype);
    /// <summary>Computes top-k (both signs) and overall influence, stores timings and flips the run to complete, in one transaction.</summary>
    void CompleteRun(long runId, string timingsJson, int topK);
    void FailRun(long runId, string error);
    /// <summary>The newest complete run with this hash, to skip identical reruns.</summary>
    AttributionRun? FindCompleteRun(long datasetId, string parametersHash);
    AttributionRun? GetLatestCompleteRun(long datasetId, string method, string targetKind);
    IReadOnlyList<AttributionRun> ListCompleteRuns(long datasetId);
    IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId);
    /// <summary>Top influencers of one sign: positive = largest scores first, negative = most negative first.</summary>
    IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positive, int k);
    /// <summary>Stored ranks skip+1 … skip+k of one sign (top-k tables hold the run's TopK ranks per sign).</summary>
    IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positive, int skip, int k);
    float[] GetScores(long targetId);
    IReadOnlyList<long> GetTrainOrder(long runId);
    int CountOverallInfluence(long runId);
    /// <summary>Overall influence ordered most negative first (label-error hunting order).</summary>
    IReadOnlyList<OverallInfluence> GetOverallInfluence(long runId, int offset, int limit);
    /// <summary>One training image's overall influence and rank in a run, or null when it is not in the run.</summary>
    OverallInfluence? GetOverallInfluenceOf(long runId, long trainImageId);
    AttributionTarget? GetTarget(long targetId);
    IReadOnlyList<AttributionTarget> GetTargetsOfRun(long runId);

    /// <summary>The complete run that collects on-demand region targets scored with a base run's parameters (created on first use).</summary>
    long EnsureOnDemandRun(long baseRunId);
    /// <summary>Adds one scored target with its top-k to an already complete run, in one transaction; returns the target id.</summary>
    long AppendTarget(long runId, NewTarget target, float[] scores, ScoreDtype dtype, int topK);

    void SaveScoringMatrices(IReadOnlyList<ScoringMatrixRecord> matrices);
    IReadOnlyList<ScoringMatrixRecord> GetScoringMatrices(long runId);

    /// <summary>Where a training image sits in the top-k lists of the given runs' targets, strongest ranks first.</summary>
    IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit);
    /// <summary>Equal-width histogram of a run's overall influence, with the dataset's planted errors counted per bin.</summary>
    InfluenceHistogram GetInfluenceHistogram(long runId, int bins);

    void WriteAgreement(IReadOnlyList<RankAgreementRecord> rows);
    /// <summary>Agreement rows whose two targets are both among <paramref name="targetIds"/>.</summary>
    IReadOnlyList<RankAgreementRecord> GetAgreement(IReadOnlyCollection<long> targetIds);
}

public interface IEmbeddingRepository
{
    /// <summary>Writes a set and its vectors in one transaction; returns the set id.</summary>
    long Save(long datasetId, string kind, string source, string parametersJson, string parametersHash, IReadOnlyList<(long ImageId, float[] Vector)> vectors);
    EmbeddingSet? FindByHash(long datasetId, string kind, string parametersHash);
    EmbeddingSet? GetLatest(long datasetId, string kind);
    IReadOnlyDictionary<long, float[]> GetVectors(long setId);
}

public interface IJobRepository
{
    long Enqueue(long datasetId, string kind, string requestJson);
    /// <summary>Atomically marks the oldest queued job running for <paramref name="worker"/> and returns it, or null.</summary>
    JobRecord? ClaimNext(string worker);
    void Complete(long jobId, long? resultTargetId, string resultJson);
    void Fail(long jobId, string error);
    JobRecord? Get(long jobId);
    IReadOnlyList<JobRecord> ListRecent(long datasetId, int limit);
    /// <summary>Puts jobs left running by a worker that stopped back in the queue; returns how many.</summary>
    int RequeueRunning(string worker);
}

public interface IFlagRepository
{
    FlagRecord? Get(long imageId);
    /// <summary>Sets a training image's flag if it is still at <paramref name="expectedVersion"/> (0: not flagged yet):
    /// upserts it, bumps its version and appends the change to its history in one transaction. Otherwise writes nothing
    /// and returns a conflict carrying the current flag.</summary>
    FlagSaveResult Save(long datasetId, long imageId, string state, string? note, string author, int expectedVersion);
    /// <summary>Changes of an image's flag, newest first.</summary>
    IReadOnlyList<FlagChange> History(long imageId, int limit = int.MaxValue);
    /// <summary>Flags of a dataset (of one state, or all when <paramref name="state"/> is null), most recently changed first.</summary>
    IReadOnlyList<FlagRecord> List(long datasetId, string? state, int offset, int limit);
    int Count(long datasetId, string? state);
    IReadOnlySet<long> FlaggedImageIds(long datasetId, IEnumerable<string> states);
}
