using AttributionExplorer.Core.Domain;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Tests;

/// <summary>Serves one complete run with one full-image target whose influencers are given by the test.</summary>
internal sealed class FakeAttributionRepository(IReadOnlyList<Influencer> positive, IReadOnlyList<Influencer> negative) : IAttributionRepository
{
    public const long TargetImage = 500;
    public static readonly AttributionRun Run = new(7, 1, "trak", "image", "complete", "{}", "h", "{}", 100, DateTime.UtcNow, DateTime.UtcNow);

    public IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId) =>
        runId == Run.Id && imageId == TargetImage ? [new AttributionTarget(70, runId, imageId, TargetKinds.Image, null, null)] : [];

    public IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positiveSign, int k) =>
        (positiveSign ? positive : negative).Take(k).ToList();

    public IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positiveSign, int skip, int k) =>
        (positiveSign ? positive : negative).Skip(skip).Take(k).ToList();

    public LatestRuns LatestCompleteRuns(long datasetId) => new([Run]);
    public IReadOnlyList<AttributionRun> ListCompleteRuns(long datasetId) => [Run];
    public float[] GetScores(long targetId) => [];
    public int CountOverallInfluence(long runId) => 0;
    public IReadOnlyList<OverallInfluence> GetOverallInfluence(long runId, int offset, int limit) => [];
    public OverallInfluence? GetOverallInfluenceOf(long runId, long trainImageId) => null;
    public int CountObjectSuspicions(long runId) => 0;
    public IReadOnlyList<ObjectSuspicion> GetObjectSuspicions(long runId, int offset, int limit) => [];
    public QueueSlice GetQueue(long runId, bool objects, QueueFilter filter, int offset, int limit) => new(0, []);
    public QueuePosition GetQueuePosition(long runId, bool objects, QueueFilter filter, int rank) => new(0, null, null);
    public AttributionTarget? GetTarget(long targetId) => null;
    public IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit) => [];
    public InfluenceHistogram GetInfluenceHistogram(long runId, int bins) => new(0, 0, [], []);
    public IReadOnlyList<RankAgreementRecord> GetAgreement(IReadOnlyCollection<long> targetIds) => [];
    public Core.Stability.Reliability? GetReliability(long runId) => null;
    public IReadOnlyList<KernelFigures> GetKernels(long runId) => [];
}
