using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Row shapes as SQLite returns them (INTEGER → long, REAL → double); mapped to Core records here.</summary>
internal static class Rows
{
    public const string ImageColumns = "id AS Id, dataset_id AS DatasetId, coco_id AS CocoId, split AS Split, file_name AS FileName, width AS Width, height AS Height";

    public sealed class Image { public long Id, DatasetId, CocoId, Width, Height; public string Split = "", FileName = ""; }
    public sealed class Annotation
    {
        public long Id, ImageId, CocoId, CategoryCocoId, IsCrowd, RleHeight, RleWidth;
        public string RleCounts = "", Bbox = "[]";
        public double Area;
    }
    public sealed class Dataset { public long Id; public string Name = "", ImageRoot = "", SourceDescription = "", CreatedUtc = "", Version = ""; }
    public sealed class Checkpoint
    {
        public long Id, DatasetId, Seed;
        public long? RunId, Epoch;
        public string Path = "", HyperparametersJson = "", CreatedUtc = "";
        public double ValMiou, TrainSeconds;
    }
    public sealed class Run
    {
        public long Id, DatasetId, TrainCount;
        public string Method = "", TargetKind = "", Status = "", ParametersJson = "", ParametersHash = "", TimingsJson = "", StartedUtc = "";
        public string? FinishedUtc;
    }

    public static ImageRecord ToRecord(this Image r) => new(r.Id, r.DatasetId, r.CocoId, r.Split, r.FileName, (int)r.Width, (int)r.Height);

    public static AnnotationRecord ToRecord(this Annotation r) => new(r.Id, r.ImageId, r.CocoId, (int)r.CategoryCocoId, r.IsCrowd != 0,
        new RleMask((int)r.RleHeight, (int)r.RleWidth, RleCodec.FromCompressedString(r.RleCounts)),
        JsonSerializer.Deserialize<double[]>(r.Bbox) ?? [], r.Area);

    public static DatasetInfo ToRecord(this Dataset r) => new(r.Id, r.Name, r.ImageRoot, r.SourceDescription, ParseUtc(r.CreatedUtc), r.Version);

    public static CheckpointRecord ToRecord(this Checkpoint r) => new(r.Id, r.DatasetId, (int)r.Seed, r.Path, r.ValMiou,
        r.HyperparametersJson, r.TrainSeconds, ParseUtc(r.CreatedUtc), r.RunId ?? 0, (int)(r.Epoch ?? 0));

    public static AttributionRun ToRecord(this Run r) => new(r.Id, r.DatasetId, r.Method, r.TargetKind, r.Status, r.ParametersJson,
        r.ParametersHash, r.TimingsJson, (int)r.TrainCount, ParseUtc(r.StartedUtc), r.FinishedUtc is null ? null : ParseUtc(r.FinishedUtc));

    public static DateTime ParseUtc(string s) => DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
