namespace AttributionExplorer.Web.Rendering;

public static class ScoreFormat
{
    /// <summary>A lone score on its own scale with the factor written out ("−32.0 ×10⁻⁶"); scores shown together use one
    /// <see cref="ScoreScale"/> with the factor in their header instead.</summary>
    public static string Format(float score) => ScoreScale.For([score]).FormatWithUnit(score);
}
