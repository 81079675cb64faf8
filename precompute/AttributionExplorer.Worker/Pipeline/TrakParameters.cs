using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>The recorded parameters of a TRAK run of one target kind and their hash (identical runs are skipped; the
/// on-demand worker reads the projection settings back from here).</summary>
public static class TrakParameters
{
    public static readonly IReadOnlyDictionary<string, string> OutputByKind = new Dictionary<string, string>
    {
        [TargetKinds.Image] = "mean pixel log(p/(1-p)) of the true class",
        [TargetKinds.Class] = "mean pixel log(q/(1-q)) of the binary task 'is class c', q = probability of the correct answer",
        [TargetKinds.Object] = "mean log(p/(1-p)) of the true class over the instance mask's pixels",
        [TargetKinds.Region] = "mean log(p/(1-p)) of the true class over the region's pixels",
    };

    public static ProjectionKind ParseProjection(string name) => name.ToLowerInvariant() switch
    {
        "gaussian" => ProjectionKind.Gaussian,
        "rademacher" => ProjectionKind.Rademacher,
        _ => throw new ArgumentException($"appsettings.json: AttributionExplorer.Trak.ProjectionKind must be gaussian or rademacher, got '{name}'"),
    };

    public static (string Json, string Hash) For(string targetKind, TrakOptions trak, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        var kind = ParseProjection(trak.ProjectionKind);
        string json = JsonSerializer.Serialize(new
        {
            target = targetKind, output = OutputByKind[targetKind], trainFeatures = "grad of mean pixel cross-entropy",
            trak.ProjectionDim, projection = kind.ToString().ToLowerInvariant(), trak.ProjectionSeed, trak.Lambda, lambdaRelativeTo = "mean diag of PhiT Phi",
            scoreDtype = ScoreCodec.Parse(trak.ScoreDtype).ToString(), ensemble = "mean over checkpoints",
            checkpoints = checkpoints.Select(c => new { c.Id, c.Seed }).ToArray(),
        });
        return (json, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))).ToLowerInvariant());
    }

    public static TrakSettings Settings(TrakOptions trak) =>
        new(trak.ProjectionDim, ParseProjection(trak.ProjectionKind), trak.ProjectionSeed, trak.Lambda, trak.GradientBatchSize);
}
