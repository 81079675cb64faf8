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
}
