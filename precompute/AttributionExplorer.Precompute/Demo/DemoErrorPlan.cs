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

    /// <summary>The historical plan: drawn from the scene stream before the scenes, three kinds in round robin.</summary>
    public static DemoErrorPlan Create(DemoOptions options, Random random)
    {
        int count = (int)Math.Round(options.LabelErrorRate * options.TrainImages);
        var kinds = PlantedErrorKinds.Original;
        var indices = Enumerable.Range(0, options.TrainImages).OrderBy(_ => random.Next()).Take(count).Order().ToList();
        var byIndex = indices.Select((index, k) => (index, kind: kinds[k % kinds.Count])).ToDictionary(p => p.index, p => p.kind);
        var (from, to) = ConfusionPair(random);
        return new DemoErrorPlan(byIndex, from, to);
    }

    /// <summary>A plan drawn from its own (planting) stream after the scenes exist: kinds in round robin, each given to
    /// the next image in a seeded order that can carry it (a missing instance needs ≥ 2 visible instances, the
    /// systematic confusion an instance of the confused class, geometry and class errors one visible instance).</summary>
    public static DemoErrorPlan CreateIndependent(DemoOptions options, IReadOnlyList<DemoScene> trainScenes, Random planting)
    {
        var kinds = ParseKinds(options.ErrorKinds);
        int count = (int)Math.Round(options.LabelErrorRate * trainScenes.Count);
        var (from, to) = ConfusionPair(planting);
        var order = Enumerable.Range(0, trainScenes.Count).OrderBy(_ => planting.Next()).ToList();
        var byIndex = new Dictionary<int, string>();
        for (int k = 0; byIndex.Count < count && k < count * 4; k++)
        {
            string kind = kinds[k % kinds.Count];
            int pick = order.FindIndex(i => CanCarry(trainScenes[i], kind, from));
            if (pick < 0) continue;
            byIndex[order[pick]] = kind;
            order.RemoveAt(pick);
        }
        return new DemoErrorPlan(byIndex, from, to);
    }

    public static IReadOnlyList<string> ParseKinds(string kinds)
    {
        if (string.IsNullOrWhiteSpace(kinds)) return PlantedErrorKinds.All;
        var parsed = kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var kind in parsed)
            if (!PlantedErrorKinds.All.Contains(kind))
                throw new ArgumentException($"Demo.ErrorKinds: unknown kind '{kind}' (known: {string.Join(", ", PlantedErrorKinds.All)})");
        return parsed;
    }

    private static bool CanCarry(DemoScene scene, string kind, DemoShapes.ShapeClass confusedFrom)
    {
        var visible = scene.Instances.Where(i => i.VisibleMask.Any(b => b)).ToList();
        return kind switch
        {
            PlantedErrorKinds.MissingInstance => visible.Count >= 2,
            PlantedErrorKinds.ClassConfusion => visible.Any(i => i.Class == confusedFrom),
            PlantedErrorKinds.BackgroundAnnotation => true,
            _ => visible.Count >= 1,
        };
    }

    private static (DemoShapes.ShapeClass From, DemoShapes.ShapeClass To) ConfusionPair(Random random)
    {
        int from = random.Next(DemoShapes.Classes.Length);
        int to = (from + 1 + random.Next(DemoShapes.Classes.Length - 1)) % DemoShapes.Classes.Length;
        return (DemoShapes.Classes[from], DemoShapes.Classes[to]);
    }

    public string? KindFor(int trainIndex) => kindByIndex.GetValueOrDefault(trainIndex);
}
