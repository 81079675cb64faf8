using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Trak.Targets;

/// <summary>The classes a class target is planned for: those in the label map at model resolution, background and
/// ignored pixels excluded, in index order.</summary>
public static class ClassesPresent
{
    public static IEnumerable<int> In(byte[] labels) =>
        labels.Where(l => l != 0 && l != SemanticLabelMap.IgnoreIndex).Distinct().Order().Select(l => (int)l);
}
