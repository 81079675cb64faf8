using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using Dapper;
using AttributionExplorer.Core.Ports;

namespace AttributionExplorer.Storage.Repositories;

public sealed class DatasetRepository(ISqlDatabase database) : IDatasetRepository
{
    public long Import(DatasetImport import)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM datasets WHERE name = @Name", new { import.Name }, tx) > 0)
            throw new InvalidOperationException($"a dataset named '{import.Name}' already exists in {database.Location}; nothing was imported");
        long datasetId = c.ExecuteScalar<long>(
            "INSERT INTO datasets (name, image_root, source_description, created_utc, version) VALUES (@Name, @ImageRoot, @SourceDescription, @Created, @Version) RETURNING id",
            new { import.Name, ImageRoot = database.Paths.ToStored(import.ImageRoot), import.SourceDescription, Created = DapperSetup.ToText(DateTime.UtcNow),
                Version = DatasetVersion.Of(import) }, tx);

        c.Execute("INSERT INTO categories (dataset_id, coco_id, name, supercategory, model_index) VALUES (@DatasetId, @CocoId, @Name, @Supercategory, @ModelIndex)",
            import.Categories.Select(k => new { DatasetId = datasetId, k.CocoId, k.Name, k.Supercategory, k.ModelIndex }), tx);

        var imageIds = database.Dialect.ReserveIds(c, tx, "images", import.Images.Count);
        var idsByCoco = new Dictionary<long, long>();
        for (int i = 0; i < imageIds.Length; i++) idsByCoco[import.Images[i].CocoId] = imageIds[i];
        database.Dialect.BulkInsert(c, tx, "images", "id, dataset_id, coco_id, split, file_name, width, height", import.Images.Select((image, i) => (Id: imageIds[i], Image: image)),
            (row, r) => row.Long(r.Id).Long(datasetId).Long(r.Image.CocoId).Text(r.Image.Split).Text(r.Image.FileName).Long(r.Image.Width).Long(r.Image.Height));
        database.Dialect.BulkInsert(c, tx, "annotations", "image_id, coco_id, category_coco_id, is_crowd, rle_height, rle_width, rle_counts, bbox, area",
            import.Images.SelectMany((image, i) => image.Annotations.Select(a => (ImageId: imageIds[i], A: a))),
            (row, r) => row.Long(r.ImageId).Long(r.A.CocoId).Long(r.A.CategoryCocoId).Long(r.A.IsCrowd ? 1 : 0).Long(r.A.Mask.Height).Long(r.A.Mask.Width)
                .Text(RleCodec.ToCompressedString(r.A.Mask.Counts)).Text(JsonSerializer.Serialize(r.A.Bbox)).Double(r.A.Area));
        foreach (var e in import.PlantedErrors)
        {
            if (!idsByCoco.TryGetValue(e.ImageCocoId, out long imageId))
                throw new InvalidOperationException($"planted error names image {e.ImageCocoId}, which is not in dataset '{import.Name}'");
            c.Execute("INSERT INTO planted_errors (dataset_id, image_id, kind, detail) VALUES (@DatasetId, @ImageId, @Kind, @Detail)",
                new { DatasetId = datasetId, ImageId = imageId, e.Kind, e.Detail }, tx);
        }
        tx.Commit();
        return datasetId;
    }

    public DatasetInfo? FindByName(string name) => QueryDatasets("WHERE name = @name", new { name }).FirstOrDefault();
    public IReadOnlyList<DatasetInfo> List() => QueryDatasets("ORDER BY id", null);
    public DatasetInfo? Get(long datasetId) => QueryDatasets("WHERE id = @datasetId", new { datasetId }).FirstOrDefault();

    public IReadOnlyList<Category> GetCategories(long datasetId)
    {
        using var c = database.Open();
        return c.Query<(long CocoId, string Name, string? Super, long Index)>(
                "SELECT coco_id, name, supercategory, model_index FROM categories WHERE dataset_id = @datasetId ORDER BY model_index", new { datasetId })
            .Select(r => new Category((int)r.CocoId, r.Name, r.Super, (int)r.Index)).ToList();
    }

    public int CountImages(long datasetId, string split)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM images WHERE dataset_id = @datasetId AND split = @split", new { datasetId, split });
    }

    public IReadOnlyList<ImageRecord> GetImages(long datasetId, string split, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<Rows.Image>($"SELECT {Rows.ImageColumns} FROM images WHERE dataset_id = @datasetId AND split = @split ORDER BY id LIMIT @limit OFFSET @offset",
            new { datasetId, split, limit, offset }).Select(r => r.ToRecord()).ToList();
    }

    public ImageRecord? GetImage(long imageId)
    {
        using var c = database.Open();
        return c.Query<Rows.Image>($"SELECT {Rows.ImageColumns} FROM images WHERE id = @imageId", new { imageId }).FirstOrDefault()?.ToRecord();
    }

    public ImageRecord? GetImageByCocoId(long datasetId, long cocoId)
    {
        using var c = database.Open();
        return c.Query<Rows.Image>($"SELECT {Rows.ImageColumns} FROM images WHERE dataset_id = @datasetId AND coco_id = @cocoId", new { datasetId, cocoId })
            .FirstOrDefault()?.ToRecord();
    }

    public IReadOnlyList<ImageRecord> GetImagesByIds(IReadOnlyCollection<long> imageIds)
    {
        if (imageIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<Rows.Image>($"SELECT {Rows.ImageColumns} FROM images WHERE {database.Dialect.InIds("id", "@ids")}", new { ids = database.Dialect.Ids(imageIds) })
            .Select(r => r.ToRecord()).ToList();
    }

    private const string AnnotationColumns = "id AS Id, image_id AS ImageId, coco_id AS CocoId, category_coco_id AS CategoryCocoId, is_crowd AS IsCrowd, rle_height AS RleHeight, rle_width AS RleWidth, rle_counts AS RleCounts, bbox AS Bbox, area AS Area";

    public IReadOnlyList<AnnotationRecord> GetAnnotations(long imageId)
    {
        using var c = database.Open();
        return c.Query<Rows.Annotation>($"SELECT {AnnotationColumns} FROM annotations WHERE image_id = @imageId ORDER BY id", new { imageId })
            .Select(r => r.ToRecord()).ToList();
    }

    public IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> GetAnnotationsForSplit(long datasetId, string split)
    {
        using var c = database.Open();
        return c.Query<Rows.Annotation>($"SELECT a.{AnnotationColumns.Replace(", ", ", a.")} FROM annotations a JOIN images i ON i.id = a.image_id WHERE i.dataset_id = @datasetId AND i.split = @split ORDER BY a.id",
                new { datasetId, split })
            .Select(r => r.ToRecord()).GroupBy(a => a.ImageId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AnnotationRecord>)g.ToList());
    }

    public IReadOnlyList<PlantedError> GetPlantedErrors(long datasetId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, string Kind, string Detail)>(
                "SELECT image_id, kind, detail FROM planted_errors WHERE dataset_id = @datasetId ORDER BY image_id", new { datasetId })
            .Select(r => new PlantedError(r.ImageId, r.Kind, r.Detail)).ToList();
    }

    private IReadOnlyList<DatasetInfo> QueryDatasets(string where, object? args)
    {
        using var c = database.Open();
        return c.Query<Rows.Dataset>($"SELECT id AS Id, name AS Name, image_root AS ImageRoot, source_description AS SourceDescription, created_utc AS CreatedUtc, version AS Version FROM datasets {where}", args)
            .Select(r => r.ToRecord() with { ImageRoot = database.Paths.ToFull(r.ImageRoot) }).ToList();
    }

    public long AddUpload(long datasetId, string fileName, int width, int height)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // The dataset's row lock orders concurrent uploads, so each gets its own negative COCO id.
        if (c.ExecuteScalar<long?>($"SELECT id FROM datasets WHERE id = @datasetId{database.Dialect.ForUpdate}", new { datasetId }, tx) is null)
            throw new KeyNotFoundException($"dataset {datasetId} does not exist");
        long cocoId = Math.Min(0, c.ExecuteScalar<long>("SELECT COALESCE(MIN(coco_id), 0) FROM images WHERE dataset_id = @datasetId", new { datasetId }, tx)) - 1;
        long id = c.ExecuteScalar<long>(
            "INSERT INTO images (dataset_id, coco_id, split, file_name, width, height) VALUES (@datasetId, @cocoId, @split, @fileName, @width, @height) RETURNING id",
            new { datasetId, cocoId, split = Splits.Upload, fileName, width, height }, tx);
        tx.Commit();
        return id;
    }
}
