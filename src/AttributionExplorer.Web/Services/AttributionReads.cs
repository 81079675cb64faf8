using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Stability;

namespace AttributionExplorer.Web.Services;

/// <summary>The read side of rankings as the pages use it, composed from the storage ports (runs, scores, training-image
/// rankings, agreement). Pages ask this one service instead of five ports.</summary>
public interface IAttributionRepository
{
    /// <summary>The newest complete run of every (method, target kind) of the dataset, in one read.</summary>
    LatestRuns LatestCompleteRuns(long datasetId);
    IReadOnlyList<AttributionRun> ListCompleteRuns(long datasetId);
    IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId);
    AttributionTarget? GetTarget(long targetId);
    IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positive, int k);
    IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positive, int skip, int k);
    float[] GetScores(long targetId);
    int CountOverallInfluence(long runId);
    IReadOnlyList<OverallInfluence> GetOverallInfluence(long runId, int offset, int limit);
    OverallInfluence? GetOverallInfluenceOf(long runId, long trainImageId);
    int CountObjectSuspicions(long runId);
    IReadOnlyList<ObjectSuspicion> GetObjectSuspicions(long runId, int offset, int limit);
    /// <summary>A page of a detector run's queue narrowed by <paramref name="filter"/>, each row with COCO ids and flag.</summary>
    QueueSlice GetQueue(long runId, bool objects, QueueFilter filter, int offset, int limit);
    QueuePosition GetQueuePosition(long runId, bool objects, QueueFilter filter, int rank);
    InfluenceHistogram GetInfluenceHistogram(long runId, int bins);
    IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit);
    IReadOnlyList<RankAgreementRecord> GetAgreement(IReadOnlyCollection<long> targetIds);
    /// <summary>The run's split-half reliability (of its ordering of training images), or null when it recorded none.</summary>
    Reliability? GetReliability(long runId);
    /// <summary>The TRAK kernels the run's scores come from (empty for methods without one).</summary>
    IReadOnlyList<KernelFigures> GetKernels(long runId);
}

public sealed class AttributionReads(IRankingRunRepository runs, IScoreRepository scores, ITrainRankingRepository trainRankings,
    IAgreementRepository agreement) : IAttributionRepository
{
    public LatestRuns LatestCompleteRuns(long datasetId) => new(runs.LatestCompletePerKind(datasetId));
    public IReadOnlyList<AttributionRun> ListCompleteRuns(long datasetId) => runs.ListComplete(datasetId);
    public IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId) => scores.GetTargets(runId, imageId);
    public AttributionTarget? GetTarget(long targetId) => scores.GetTarget(targetId);
    public IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positive, int k) => scores.GetInfluencers(targetId, positive, 0, k);
    public IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positive, int skip, int k) => scores.GetInfluencers(targetId, positive, skip, k);
    public float[] GetScores(long targetId) => scores.GetScores(targetId);
    public int CountOverallInfluence(long runId) => trainRankings.Count(runId);
    public IReadOnlyList<OverallInfluence> GetOverallInfluence(long runId, int offset, int limit) => trainRankings.Page(runId, offset, limit);
    public OverallInfluence? GetOverallInfluenceOf(long runId, long trainImageId) => trainRankings.Of(runId, trainImageId);
    public int CountObjectSuspicions(long runId) => trainRankings.CountObjects(runId);
    public IReadOnlyList<ObjectSuspicion> GetObjectSuspicions(long runId, int offset, int limit) => trainRankings.PageObjects(runId, offset, limit);
    public QueueSlice GetQueue(long runId, bool objects, QueueFilter filter, int offset, int limit) => trainRankings.Queue(runId, objects, filter, offset, limit);
    public QueuePosition GetQueuePosition(long runId, bool objects, QueueFilter filter, int rank) => trainRankings.PositionInQueue(runId, objects, filter, rank);
    public InfluenceHistogram GetInfluenceHistogram(long runId, int bins) => trainRankings.Histogram(runId, bins);
    public IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit) => scores.GetAppearances(trainImageId, runIds, limit);
    public IReadOnlyList<RankAgreementRecord> GetAgreement(IReadOnlyCollection<long> targetIds) => agreement.Get(targetIds);
    public Reliability? GetReliability(long runId) => runs.GetReliability(runId);
    public IReadOnlyList<KernelFigures> GetKernels(long runId) => runs.GetKernels(runId);
}
