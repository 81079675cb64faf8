using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Precompute.Trak.Targets.Kinds;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassAllPixels;

namespace AttributionExplorer.Precompute.Tests.Trak.Targets;

public class TargetPlannerTests
{
    private static readonly Category[] Categories = [new(5, "a", null, 1), new(9, "b", null, 2)];

    private static AnnotationRecord Annotation(long id, int category, bool crowd, Func<int, int, bool> inside)
    {
        var mask = new bool[8 * 8];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) mask[y * 8 + x] = inside(y, x);
        var rle = RleCodec.Encode(mask, 8, 8);
        return new AnnotationRecord(id, 1, id, category, crowd, rle, [0, 0, 8, 8], RleCodec.Area(rle));
    }

    [Fact]
    public void PlansImageClassesPresentAndNonCrowdObjectsInsideTheCrop()
    {
        // Labels at model resolution 4×4: class index 2 only (index 1 appears in no pixel), one ignored pixel.
        var labels = new byte[16];
        labels[5] = 2; labels[6] = 2; labels[15] = 255;
        var source = new InMemorySegmentationSource([new SegmentationExample(1, "unused.png", labels)], 3, 4);
        var image = new ImageRecord(1, 1, 1, Splits.Val, "unused.png", 8, 8);
        AnnotationRecord[] annotations =
        [
            Annotation(10, 9, false, (y, x) => y is >= 2 and < 4 && x is >= 2 and < 6),
            Annotation(11, 5, true, (y, x) => y >= 6),
            Annotation(12, 9, false, (y, x) => y < 4 && x < 4),
        ];
        using var plan = TargetPlanner.Plan(source, Categories, _ => image, _ => annotations,
            [new ImageTargetKind(), new ClassTargetKind(new ClassAllPixelsTargetKind()), new ObjectTargetKind()]);

        Assert.Equal(new[]
        {
            new NewTarget(1, TargetKinds.Image, null, null),
            new NewTarget(1, TargetKinds.Class, 9, null),
            new NewTarget(1, TargetKinds.Object, 9, 10),
            new NewTarget(1, TargetKinds.Object, 9, 12),
        }, plan.Targets.Select(t => t.Target));
        Assert.IsType<ClassLogOddsOutput>(plan.Targets[1].Output);
        Assert.Equal(2, ((ClassLogOddsOutput)plan.Targets[1].Output).ClassIndex);
        Assert.All(plan.Targets, t => Assert.Equal(0, t.ExampleIndex));
    }

    [Fact]
    public void OnlyRequestedKindsArePlanned()
    {
        var source = new InMemorySegmentationSource([new SegmentationExample(1, "unused.png", new byte[16])], 3, 4);
        var image = new ImageRecord(1, 1, 1, Splits.Val, "unused.png", 8, 8);
        using var plan = TargetPlanner.Plan(source, Categories, _ => image, _ => [Annotation(10, 9, false, (_, _) => true)],
            [new ObjectTargetKind()]);
        Assert.Equal(TargetKinds.Object, Assert.Single(plan.Targets).Target.Kind);
    }
}
