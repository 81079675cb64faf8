using AttributionExplorer.Core.Domain;
namespace AttributionExplorer.Core.Domain;

/// <summary>What an annotator says about a training image's labels. The stored names are kept from the first
/// version; <see cref="Title"/> is how a reviewer reads them (an open issue, a confirmed error, not an error, fixed).</summary>
public static class FlagStates
{
    /// <summary>Open: someone suspects an error, nobody has decided yet.</summary>
    public const string Suspected = "suspected";
    /// <summary>A confirmed label error.</summary>
    public const string Confirmed = "confirmed";
    /// <summary>Checked: the labels are fine.</summary>
    public const string Ok = "ok";
    /// <summary>A confirmed error whose labels have since been corrected in the source annotations.</summary>
    public const string Fixed = "fixed";

    public static readonly IReadOnlyList<string> All = [Suspected, Confirmed, Ok, Fixed];

    public static bool IsValid(string? state) => state is Suspected or Confirmed or Ok or Fixed;

    /// <summary>"open", "confirmed error", "not an error", "fixed".</summary>
    public static string Title(string state) => state switch
    {
        Suspected => "open",
        Confirmed => "confirmed error",
        Ok => "not an error",
        Fixed => "fixed",
        _ => throw new ArgumentException($"state must be one of {string.Join(", ", All)}; got '{state}'", nameof(state)),
    };
}

/// <summary>The current flag of an image. <see cref="Version"/> counts saves (1 after the first); a save must name the version it read.</summary>
public sealed record FlagRecord(long ImageId, string State, string Note, string Author, DateTime UpdatedUtc, int Version);

/// <summary>One save of a flag as appended to its history (never updated).</summary>
public sealed record FlagChange(long Id, long ImageId, string State, string Note, string Author, DateTime ChangedUtc, int Version);

/// <summary>Either <see cref="Saved"/> with the new flag in <see cref="Flag"/>, or a conflict: someone saved since the
/// caller read it, nothing was written, and <see cref="Flag"/> is the flag as it stands now.</summary>
public sealed record FlagSaveResult(bool Saved, FlagRecord? Flag)
{
    public bool IsConflict => !Saved;

    public static FlagSaveResult Success(FlagRecord saved) => new(true, saved);
    public static FlagSaveResult Conflict(FlagRecord? current) => new(false, current);
}

/// <summary>Limits on what a flag holds; bad values throw <see cref="ArgumentException"/> naming the field.</summary>
public static class FlagValidation
{
    public const int MaxAuthorLength = 100;
    public const int MaxNoteLength = 2000;

    public static void Validate(string state, string? note, string author)
    {
        if (!FlagStates.IsValid(state))
            throw new ArgumentException($"state must be one of {string.Join(", ", FlagStates.All)}; got '{state}'", nameof(state));
        if (string.IsNullOrWhiteSpace(author))
            throw new ArgumentException("author must not be empty", nameof(author));
        if (author.Length > MaxAuthorLength)
            throw new ArgumentException($"author must be at most {MaxAuthorLength} characters; got {author.Length}", nameof(author));
        if (note is { Length: > MaxNoteLength })
            throw new ArgumentException($"note must be at most {MaxNoteLength} characters; got {note.Length}", nameof(note));
    }
}
