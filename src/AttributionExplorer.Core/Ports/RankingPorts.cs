using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Core.Stability;

namespace AttributionExplorer.Core.Ports;

/// <summary>Ranking runs (what a ledger run of a ranking method ranks). Readers see only runs whose ledger run is complete.</summary>
public interface IRankingRunRepository
{
    /// <summary>Records what ledger run <paramref name="runId"/> ranks; a retry of the same run starts its rows afresh.</summary>
    void Begin(long runId, long datasetId, string method, string targetKind, IReadOnlyList<long> trainImageIdsInScoreOrder);
    AttributionRun? Get(long runId);
    AttributionRun? GetLatestComplete(long datasetId, string method, string targetKind);
    IReadOnlyList<AttributionRun> ListComplete(long datasetId);
    /// <summary>The newest complete run of every (method, target kind) of the dataset, in one read: what
    /// <see cref="GetLatestComplete"/> gives for each pair, for a page that shows many methods at once.</summary>
    IReadOnlyList<AttributionRun> LatestCompletePerKind(long datasetId);
    IReadOnlyList<long> GetTrainOrder(long runId);
    /// <summary>Records ledger run <paramref name="runId"/> as the collector of on-demand region targets scored like
    /// <paramref name="baseRunId"/> (same method and training order); a no-op when it is recorded already.</summary>
    void BeginOnDemand(long runId, long baseRunId);

    /// <summary>Records how reproducible run <paramref name="runId"/>'s ordering of training images is: its split-half
    /// figure (<see cref="SplitHalf.Measure"/> for a detector over train images), or why it has none. Call inside the
    /// run after <see cref="Begin"/>; a second call replaces the first. Per-target figures go with the targets
    /// (<see cref="NewTarget.SplitHalf"/>).</summary>
    void RecordReliability(long runId, Reliability reliability);
    /// <summary>The recorded reliability; null for a run that recorded none (computed before reliability existed).</summary>
    Reliability? GetReliability(long runId);
    /// <summary>Records the TRAK kernels (one per checkpoint) the run's scores come from, so readers can warn about a
    /// degenerate regime; replaces earlier rows of the run.</summary>
    void RecordKernels(long runId, IReadOnlyList<KernelFigures> kernels);
    IReadOnlyList<KernelFigures> GetKernels(long runId);
}

/// <summary>Targets and their score vectors, and the per-target top-k tables.</summary>
public interface IScoreRepository
{
    /// <summary>Writes targets with their score vectors (length = train count, in the run's score order) in one transaction.</summary>
    void WriteScores(long runId, IReadOnlyList<(NewTarget Target, float[] Scores)> rows, ScoreDtype dtype);
    /// <summary>Top-k of both signs per target and the run's overall influence (mean score per training image), one
    /// transaction; call before completing the ledger run.</summary>
    void Summarize(long runId, int topK);
    /// <summary>Adds one scored target with its top-k to an already complete run, in one transaction; returns the target id.</summary>
    long AppendTarget(long runId, NewTarget target, float[] scores, ScoreDtype dtype, int topK);
    AttributionTarget? GetTarget(long targetId);
    IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId);
    IReadOnlyList<AttributionTarget> GetTargetsOfRun(long runId);
    /// <summary>Stored ranks skip+1 … skip+k of one sign (positive = largest first, negative = most negative first).</summary>
    IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positive, int skip, int k);
    float[] GetScores(long targetId);
    /// <summary>Where a training image sits in the top-k lists of the given runs' targets, strongest ranks first.</summary>
    IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit);
}

/// <summary>One ordering of all training images per run (overall influence, or a label-error detector's score):
/// rank 1 = most suspect.</summary>
public interface ITrainRankingRepository
{
    /// <summary>Writes a detector's ordering of run <paramref name="runId"/> (begun with target kind "train"), most
    /// suspect first (rank 1), in one transaction.</summary>
    void Write(long runId, IReadOnlyList<(long TrainImageId, float Score)> mostSuspectFirst);
    int Count(long runId);
    IReadOnlyList<OverallInfluence> Page(long runId, int offset, int limit);
    OverallInfluence? Of(long runId, long trainImageId);
    /// <summary>Equal-width histogram of the run's scores, with the dataset's planted errors counted per bin.</summary>
    InfluenceHistogram Histogram(long runId, int bins);
    /// <summary>Writes an object detector's ordering of annotations (with their training image), most suspect first,
    /// in one transaction; a retry replaces the run's rows.</summary>
    void WriteObjects(long runId, IReadOnlyList<(long AnnotationId, long TrainImageId, float Score)> mostSuspectFirst);
    int CountObjects(long runId);
    IReadOnlyList<ObjectSuspicion> PageObjects(long runId, int offset, int limit);

    /// <summary>A page of run <paramref name="runId"/>'s label-error queue narrowed by <paramref name="filter"/>, in rank
    /// order, with each image's COCO id and current flag: its ordering of training images, or of annotations when
    /// <paramref name="objects"/>. Throws <see cref="ArgumentException"/> naming the field of a bad filter.</summary>
    QueueSlice Queue(long runId, bool objects, QueueFilter filter, int offset, int limit);
    /// <summary>Where the entry at <paramref name="rank"/> sits among the entries <paramref name="filter"/> lets through
    /// (the entry itself need not match).</summary>
    QueuePosition PositionInQueue(long runId, bool objects, QueueFilter filter, int rank);
}

public interface IAgreementRepository
{
    void Write(IReadOnlyList<RankAgreementRecord> rows);
    /// <summary>Agreement rows whose two targets are both among <paramref name="targetIds"/>.</summary>
    IReadOnlyList<RankAgreementRecord> Get(IReadOnlyCollection<long> targetIds);
}

public interface IScoringMatrixRepository
{
    void Save(IReadOnlyList<ScoringMatrixRecord> matrices);
    IReadOnlyList<ScoringMatrixRecord> Get(long runId);
}
