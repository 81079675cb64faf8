namespace AttributionExplorer.Core.Domain;

/// <summary>Upper bounds for free text people type (names, notes, labels): stored and shown everywhere, so a
/// megabyte of it must be refused where it enters, with the field and the limit named.</summary>
public static class TextLimits
{
    public const int Name = 200;
    public const int Label = 200;
    public const int Note = 4000;

    /// <summary>"field: N characters is over the limit of M", or null when the value fits (null fits).</summary>
    public static string? Check(string field, string? value, int limit) =>
        value is not null && value.Length > limit ? $"{field}: {value.Length} characters is over the limit of {limit}" : null;
}
