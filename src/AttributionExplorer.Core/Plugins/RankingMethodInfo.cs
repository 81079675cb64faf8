namespace AttributionExplorer.Core.Plugins;

/// <summary>What a ranking ranks. <see cref="PerTarget"/>: training images for each held-out target (a column on the
/// image page). <see cref="TrainImages"/>: one ordering of all training images, most suspect first (a detector of the
/// label-error queue). <see cref="TrainObjects"/>: one ordering of the training split's annotations, most suspect
/// first, each with its image (an object detector of the queue).</summary>
public enum RankingScope { PerTarget, TrainImages, TrainObjects }

/// <summary>The presentation-side description of a ranking method. The worker's registry writes one per method into
/// the database (<see cref="IPluginCatalog"/>), so the web app builds its columns, pickers and API from what
/// the worker knows, without loading the worker.</summary>
/// <param name="Name">Stable key used in URLs, the API and the database (e.g. "trak", "confidence").</param>
/// <param name="Title">Column or picker title.</param>
/// <param name="Description">One sentence: what the score means and which direction is "more".</param>
/// <param name="Signed">Per-target only: the score has a meaningful sign, so both the most positive and the most
/// negative are shown (TRAK); otherwise only the largest (similarity).</param>
/// <param name="TargetKinds">Per-target only: the target kinds the method can rank for (empty for TrainImages).</param>
/// <param name="Order">Display order, ascending.</param>
/// <param name="Command">The CLI command that computes it, shown where no run exists yet.</param>
/// <param name="QueueDefault">TrainImages only: the label-error queue's default order (one method at most).</param>
/// <param name="Evidence">Why it is trusted: what the label-error study measured for it, shown with the queue.</param>
public sealed record RankingMethodInfo(string Name, string Title, string Description, RankingScope Scope, bool Signed,
    IReadOnlyList<string> TargetKinds, int Order, string Command, bool QueueDefault = false, string? Evidence = null);

