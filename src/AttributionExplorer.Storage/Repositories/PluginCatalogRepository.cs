using System.Text.Json;
using System.Text.Json.Serialization;
using AttributionExplorer.Core.Plugins;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>The <see cref="IPluginCatalog"/> of both back ends. Until a worker has published, the built-in target kinds and
/// evaluations are listed (an empty database still renders) and no ranking method is.</summary>
public sealed class PluginCatalogRepository(ISqlDatabase database) : IPluginCatalog
{
    private const string Methods = "ranking_method", Kinds = "target_kind", Evaluation = "evaluation";
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public IReadOnlyList<RankingMethodInfo> RankingMethods() => Read<RankingMethodInfo>(Methods) ?? [];
    public IReadOnlyList<TargetKindInfo> TargetKinds() => Read<TargetKindInfo>(Kinds) ?? BuiltInPlugins.TargetKinds;
    public IReadOnlyList<EvaluationKindInfo> Evaluations() => Read<EvaluationKindInfo>(Evaluation) ?? BuiltInPlugins.Evaluations;

    public void Publish(IReadOnlyList<RankingMethodInfo> methods, IReadOnlyList<TargetKindInfo> targetKinds, IReadOnlyList<EvaluationKindInfo> evaluations)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // Workers starting together publish together: without the lock both delete nothing the other has committed,
        // and the second one's inserts then collide with the first one's rows.
        database.Dialect.LockTableForWrite(c, tx, "plugins");
        c.Execute("DELETE FROM plugins", transaction: tx);
        Insert(c, tx, Methods, methods.OrderBy(m => m.Order).Select(m => (m.Name, (object)m)));
        Insert(c, tx, Kinds, targetKinds.OrderBy(k => k.Order).Select(k => (k.Name, (object)k)));
        Insert(c, tx, Evaluation, evaluations.OrderBy(e => e.Order).Select(e => (e.Name, (object)e)));
        tx.Commit();
    }

    private static void Insert(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string category,
        IEnumerable<(string Name, object Info)> items)
    {
        int position = 0;
        foreach (var (name, info) in items)
            c.Execute("INSERT INTO plugins (category, name, position, info_json) VALUES (@category, @name, @position, @json)",
                new { category, name, position = position++, json = JsonSerializer.Serialize(info, info.GetType(), Json) }, tx);
    }

    private IReadOnlyList<T>? Read<T>(string category)
    {
        using var c = database.Open();
        var rows = c.Query<string>("SELECT info_json FROM plugins WHERE category = @category ORDER BY position", new { category }).ToList();
        return rows.Count == 0 ? null : rows.Select(r => JsonSerializer.Deserialize<T>(r, Json)!).ToList();
    }
}
