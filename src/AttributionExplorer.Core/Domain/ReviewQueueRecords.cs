namespace AttributionExplorer.Core.Domain;

/// <summary>What narrows a label-error queue: a review state (<see cref="Unflagged"/> or a <see cref="FlagStates"/>
/// value; null = any), a class (COCO category id: images with an annotation of it, or annotations of it), and an
/// inclusive range of the detector's score. Every part is optional.</summary>
public sealed record QueueFilter(string? State = null, int? CategoryCocoId = null, double? MinScore = null, double? MaxScore = null)
{
    /// <summary>Images nobody has flagged yet.</summary>
    public const string Unflagged = "unflagged";

    public static readonly QueueFilter None = new();

    /// <summary>Every value <see cref="State"/> may take.</summary>
    public static readonly IReadOnlyList<string> States = [Unflagged, .. FlagStates.All];

    public bool IsEmpty => this == None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field (state, minScore, maxScore) for a value no
    /// queue can have.</summary>
    public void Validate()
    {
        if (State is not null && !States.Contains(State))
            throw new ArgumentException($"state must be one of {string.Join(", ", States)}; got '{State}'", "state");
        if (MinScore is { } min && !double.IsFinite(min)) throw new ArgumentException($"minScore must be a finite number; got {min}", "minScore");
        if (MaxScore is { } max && !double.IsFinite(max)) throw new ArgumentException($"maxScore must be a finite number; got {max}", "maxScore");
        if (MinScore > MaxScore) throw new ArgumentException($"minScore ({MinScore}) must not exceed maxScore ({MaxScore})", "minScore");
    }
}

/// <summary>One row of a label-error queue: a training image (or, for an object detector, one of its annotations) at
/// its rank in the detector's order (1 = most suspect, counted over the whole run, not the filter), with the image's
/// current flag (null: not flagged).</summary>
public sealed record QueueEntry(int Rank, long TrainImageId, long CocoImageId, float Score, FlagRecord? Flag,
    long? AnnotationId = null, long? AnnotationCocoId = null, int? AnnotationCategoryCocoId = null);

/// <summary>A page of a filtered queue and how many entries the filter lets through in all.</summary>
public sealed record QueueSlice(int Total, IReadOnlyList<QueueEntry> Items);

/// <summary>Where one entry sits in a filtered queue: how many matching entries rank before it, and its matching
/// neighbours (null at either end).</summary>
public sealed record QueuePosition(int Before, QueueEntry? Previous, QueueEntry? Next);
