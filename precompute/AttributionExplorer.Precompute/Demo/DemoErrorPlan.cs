using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Precompute.Demo;

/// <summary>Which training images get which planted label error, and the dataset's one systematic class confusion.</summary>
internal sealed class DemoErrorPlan
{
    private readonly Dictionary<int, string> kindByIndex;

    private DemoErrorPlan(Dictionary<int, string> kindByIndex, DemoShapes.ShapeClass from, DemoShapes.ShapeClass to)
    {
        this.kindByIndex = kindByIndex;
        ConfusedFrom = from;
        ConfusedTo = to;
    }

    public DemoShapes.ShapeClass ConfusedFrom { get; }
    public DemoShapes.ShapeClass ConfusedTo { get; }
    public int Count => kindByIndex.Count;

    public static DemoErrorPlan Create(DemoOptions options, Random random)
    {
        int count = (int)Math.Round(options.LabelErrorRate * options.TrainImages);
        string[] kinds = [PlantedErrorKinds.MissingInstance, PlantedErrorKinds.ClassConfusion, PlantedErrorKinds.CorruptedGeometry];
        var indices = Enumerable.Range(0, options.TrainImages).OrderBy(_ => random.Next()).Take(count).Order().ToList();
        var byIndex = indices.Select((index, k) => (index, kind: kinds[k % kinds.Length])).ToDictionary(p => p.index, p => p.kind);
        int from = random.Next(DemoShapes.Classes.Length);
        int to = (from + 1 + random.Next(DemoShapes.Classes.Length - 1)) % DemoShapes.Classes.Length;
        return new DemoErrorPlan(byIndex, DemoShapes.Classes[from], DemoShapes.Classes[to]);
    }

    public string? KindFor(int trainIndex) => kindByIndex.GetValueOrDefault(trainIndex);
}
