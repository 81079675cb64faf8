namespace AttributionExplorer.Core.Plugins;

/// <summary>Port: the plug-ins the worker has registered (ranking methods, target kinds, evaluations), as the worker
/// last published them. The web app builds its columns, pickers, API and evaluation page from this, never from a
/// list of its own.</summary>
public interface IPluginCatalog
{
    IReadOnlyList<RankingMethodInfo> RankingMethods();
    IReadOnlyList<TargetKindInfo> TargetKinds();
    IReadOnlyList<EvaluationKindInfo> Evaluations();
    /// <summary>Replaces the published set with these (one transaction); the worker calls it at start-up.</summary>
    void Publish(IReadOnlyList<RankingMethodInfo> methods, IReadOnlyList<TargetKindInfo> targetKinds, IReadOnlyList<EvaluationKindInfo> evaluations);
}
