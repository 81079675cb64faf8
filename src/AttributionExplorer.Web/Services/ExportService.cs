using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;

namespace AttributionExplorer.Web.Services;

/// <summary>What a curator asks for; missing percent means 0 and missing states mean none. The author is whoever is
/// signed in, never a field of the request.</summary>
public sealed record CreateExportRequest(long? RunId, double? DropBottomPercent, IReadOnlyList<string>? DropFlagStates);

public sealed record CreatedExport(long ExportId, int ImageCount, string Sha256);

public sealed record ExportFile(byte[] Content, string ContentType, string FileName);

/// <summary>A value, or an error naming the field (<see cref="NotFound"/> when what the URL names does not exist).</summary>
public sealed record ExportOutcome<T>(T? Value, string? Error, bool NotFound = false) where T : class
{
    public static ExportOutcome<T> Ok(T value) => new(value, null);
    public static ExportOutcome<T> Bad(string error) => new(null, error);
    public static ExportOutcome<T> Missing(string error) => new(null, error, NotFound: true);
}

/// <summary>Creates curated-subset exports and renders them. <paramref name="flaggedImages"/> gives, for a dataset and
/// a list of flag states, the ids of images flagged in one of those states.</summary>
public sealed class ExportService(IDatasetRepository datasets, IAttributionRepository attributions, IExportRepository exports,
    Func<long, IReadOnlyList<string>, IReadOnlySet<long>> flaggedImages)
{
    /// <param name="author">The signed-in user who makes the export.</param>
    public ExportOutcome<CreatedExport> Create(long datasetId, CreateExportRequest? body, string author)
    {
        if (datasets.Get(datasetId) is null) return ExportOutcome<CreatedExport>.Missing($"dataset {datasetId} does not exist");
        if (body is null) return ExportOutcome<CreatedExport>.Bad("body: send JSON with runId, dropBottomPercent and dropFlagStates");
        if (string.IsNullOrWhiteSpace(author)) return ExportOutcome<CreatedExport>.Bad("author: sign in to make an export");
        if (TextLimits.Check("author", author, TextLimits.Name) is { } tooLong) return ExportOutcome<CreatedExport>.Bad(tooLong);
        var rule = new ExportRule(body.RunId, body.DropBottomPercent ?? 0, body.DropFlagStates ?? []);
        if (rule.Problem() is { } problem) return ExportOutcome<CreatedExport>.Bad(problem);

        var ranks = new List<(long ImageId, int Rank)>();
        if (rule.RunId is long runId)
        {
            if (attributions.ListCompleteRuns(datasetId).All(r => r.Id != runId))
                return ExportOutcome<CreatedExport>.Bad($"runId: {runId} is not a complete attribution run of dataset {datasetId}");
            int ranked = attributions.CountOverallInfluence(runId);
            if (ranked == 0 && rule.DropBottomPercent > 0)
                return ExportOutcome<CreatedExport>.Bad($"runId: run {runId} has no overall influence to rank images by");
            ranks.AddRange(attributions.GetOverallInfluence(runId, 0, ranked).Select(o => (o.TrainImageId, o.Rank)));
        }
        int trainCount = datasets.CountImages(datasetId, Splits.Train);
        var trainIds = datasets.GetImages(datasetId, Splits.Train, 0, trainCount).Select(i => i.Id).ToArray();
        var flagged = rule.DropFlagStates.Count == 0 ? new HashSet<long>() : flaggedImages(datasetId, rule.DropFlagStates.ToArray());

        var kept = CuratedSubset.Select(trainIds, ranks, flagged, rule.DropBottomPercent);
        long exportId = exports.Save(datasetId, author, rule, kept);
        var saved = exports.Get(exportId)!;
        return ExportOutcome<CreatedExport>.Ok(new CreatedExport(exportId, saved.ImageCount, saved.Sha256));
    }

    /// <summary>An export of another dataset is as absent as a missing one.</summary>
    public ExportOutcome<ExportFile> Download(long datasetId, long exportId, string? format)
    {
        format = string.IsNullOrEmpty(format) ? ExportFormats.Text : format.ToLowerInvariant();
        if (!ExportFormats.All.Contains(format))
            return ExportOutcome<ExportFile>.Bad($"format: '{format}' is not one of {string.Join(", ", ExportFormats.All)}");
        if (exports.Get(exportId) is not { } export || export.DatasetId != datasetId)
            return ExportOutcome<ExportFile>.Missing($"export {exportId} does not exist in dataset {datasetId}");

        var images = datasets.GetImagesByIds(exports.GetImageIds(exportId)).OrderBy(i => i.Id).ToArray();
        if (images.Length != export.ImageCount)
            throw new InvalidOperationException($"export {exportId} lists {export.ImageCount} images but {images.Length} exist");
        byte[] content = format switch
        {
            ExportFormats.Text => System.Text.Encoding.UTF8.GetBytes(ExportFormats.PlainText(images)),
            ExportFormats.Csv => System.Text.Encoding.UTF8.GetBytes(ExportFormats.CsvTable(images)),
            ExportFormats.Json => ExportFormats.JsonDocument(export, images),
            _ => Coco(export, images),
        };
        return ExportOutcome<ExportFile>.Ok(new ExportFile(content, ExportFormats.ContentType(format), ExportFormats.FileName(export, format)));
    }

    private byte[] Coco(ExportRecord export, IReadOnlyList<ImageRecord> images)
    {
        var dataset = datasets.Get(export.DatasetId)!;
        var annotations = new Dictionary<long, IReadOnlyList<AnnotationRecord>>();
        foreach (string split in images.Select(i => i.Split).Distinct())
            foreach (var (imageId, list) in datasets.GetAnnotationsForSplit(export.DatasetId, split))
                annotations[imageId] = list;
        string description = $"{dataset.Name}, export {export.Id} by {export.Author} ({export.CreatedUtc:O}): {export.ImageCount} images, " +
                             $"rule {export.Rule.ToJson()}, sha256 {export.Sha256}";
        return CocoSubsetWriter.Write(description, images, annotations, datasets.GetCategories(export.DatasetId));
    }
}
