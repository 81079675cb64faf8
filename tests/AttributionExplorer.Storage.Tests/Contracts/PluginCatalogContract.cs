using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Storage.Tests.Contracts;

public abstract class PluginCatalogContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static RankingMethodInfo Method(string name, int order, RankingScope scope = RankingScope.PerTarget) =>
        new(name, name.ToUpperInvariant(), $"{name} scores", scope, scope == RankingScope.PerTarget, scope == RankingScope.PerTarget ? ["image", "class"] : [], order, $"precompute {name}");

    [SkippableFact]
    public void BeforeAnyPublishTheBuiltInsAreListedAndNoRankingMethod()
    {
        using var s = CreateStorage();
        Assert.Empty(s.Plugins.RankingMethods());
        Assert.Equal(BuiltInPlugins.TargetKinds, s.Plugins.TargetKinds());
        Assert.Equal(BuiltInPlugins.Evaluations, s.Plugins.Evaluations());
    }

    [SkippableFact]
    public void PublishReplacesTheSetAndListsEachCategoryInOrder()
    {
        using var s = CreateStorage();
        s.Plugins.Publish([Method("esvm", 2), Method("trak", 1), Method("confidence", 3, RankingScope.TrainImages)],
            BuiltInPlugins.TargetKinds.Reverse().ToList(), [BuiltInPlugins.Evaluations[1]]);

        var methods = s.Plugins.RankingMethods();
        Assert.Equal(new[] { "trak", "esvm", "confidence" }, methods.Select(m => m.Name));
        Assert.Equal(Method("trak", 1).TargetKinds, methods[0].TargetKinds);
        Assert.Equal(Method("confidence", 3, RankingScope.TrainImages) with { TargetKinds = methods[2].TargetKinds }, methods[2]);
        Assert.Empty(methods[2].TargetKinds);
        Assert.Equal((RankingScope.PerTarget, true, "precompute esvm"), (methods[1].Scope, methods[1].Signed, methods[1].Command));
        Assert.Equal(BuiltInPlugins.TargetKinds, s.Plugins.TargetKinds());
        Assert.Equal(new[] { BuiltInPlugins.Evaluations[1] }, s.Plugins.Evaluations());

        s.Plugins.Publish([Method("moco", 0)], [BuiltInPlugins.TargetKinds[0]], []);
        Assert.Equal(new[] { "moco" }, s.Plugins.RankingMethods().Select(m => m.Name));
        Assert.Equal(new[] { BuiltInPlugins.TargetKinds[0] }, s.Plugins.TargetKinds());
        // Nothing published for a category reads as before any publish: the built-ins.
        Assert.Equal(BuiltInPlugins.Evaluations, s.Plugins.Evaluations());
    }

    /// <summary>Every worker publishes its plug-ins at start-up, and several start together: none fails, and the catalog
    /// is one whole publish, never a mix or a double.</summary>
    [SkippableFact]
    public void WorkersPublishingTogetherLeaveOneWholeCatalog()
    {
        using var s = CreateStorage();
        var publishes = Enumerable.Range(0, 8).Select(w => (IReadOnlyList<RankingMethodInfo>)
            [Method("trak", 0), Method("esvm", 1), Method($"worker{w}", 2, RankingScope.TrainImages)]).ToList();
        using var start = new Barrier(publishes.Count);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = publishes.Select(methods => new Thread(() =>
        {
            start.SignalAndWait();
            try { s.Plugins.Publish(methods, BuiltInPlugins.TargetKinds, BuiltInPlugins.Evaluations); }
            catch (Exception e) { errors.Add(e); }
        })).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.Empty(errors);
        var names = s.Plugins.RankingMethods().Select(m => m.Name).ToList();
        Assert.Contains(publishes, p => p.Select(m => m.Name).SequenceEqual(names));
        Assert.Equal(BuiltInPlugins.TargetKinds, s.Plugins.TargetKinds());
        Assert.Equal(BuiltInPlugins.Evaluations, s.Plugins.Evaluations());
    }
}
