using AttributionExplorer.Core.Masks;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;

namespace AttributionExplorer.Worker.Study;

/// <summary>Target kinds of the study: the full image; each class present as the seed defines it (every pixel,
/// class-vs-rest) and restricted to the pixels labelled as the class; each object.</summary>
public static class StudyTargets
{
    public const string Image = "image";
    public const string ClassAllPixels = "class_all_pixels";
    public const string ClassLabelledPixels = "class_labelled_pixels";
    public const string Object = "object";

    public static IReadOnlyList<HeldOutTarget> Plan(StudyDataset data)
    {
        var targets = new List<HeldOutTarget>();
        int size = data.HeldOut.Size;
        for (int e = 0; e < data.HeldOut.Count; e++)
        {
            var labels = data.HeldOut.Examples[e].Labels;
            targets.Add(new HeldOutTarget(e, Image, 0, null, FullImageLogOddsOutput.Instance));
            foreach (int c in labels.Where(l => l != 0 && l != SemanticLabelMap.IgnoreIndex).Distinct().Order())
            {
                targets.Add(new HeldOutTarget(e, ClassAllPixels, c, null, new ClassLogOddsOutput(c)));
                using var mask = torch.tensor(labels.Select(l => l == c).ToArray(), [size, size]);
                targets.Add(new HeldOutTarget(e, ClassLabelledPixels, c, null, new ClassRestrictedLogOddsOutput(c, mask)));
            }
            foreach (var o in data.HeldOutObjects.Where(o => o.ExampleIndex == e))
            {
                using var mask = torch.tensor(o.Mask, [size, size]);
                targets.Add(new HeldOutTarget(e, Object, o.ClassIndex, o.AnnotationId, new MaskedLogOddsOutput(mask)));
            }
        }
        return targets;
    }
}
