using System.Text.Json.Nodes;
using AttributionExplorer.Precompute.Datasets.Coco;
using CsCheck;

namespace AttributionExplorer.Precompute.Tests.Datasets.Coco;

/// <summary>Malformed imports made from a valid base by mutations. Every one must end in a
/// <see cref="CocoFormatException"/> — never another exception type — and write nothing.</summary>
public sealed class MalformedCocoCorpusTests : IDisposable
{
    private readonly CocoTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A named mutation of the base document (as text, so truncations and garbage are possible too).</summary>
    public sealed record Mutation(string Name, Func<string, string> Apply)
    {
        public override string ToString() => Name;
    }

    private static readonly string[] WrongTypes = ["\"x\"", "null", "[]", "{}", "1.5", "true", "\"\"", "1e400"];

    /// <summary>Per field, values that are never valid for it in the base document.</summary>
    private static readonly (string Array, string Field, string[] Bad)[] Fields =
    [
        ("images", "id", [..WrongTypes, "-1", "9223372036854775808"]),
        ("images", "file_name", ["null", "3", "\"\"", "\"../t.db\"", "\"/etc/passwd\"", "\"missing.png\"", "\"notes.png\"", "\"img\"", "[\"a.png\"]"]),
        ("images", "width", [..WrongTypes, "0", "-4", "5", "3", "100000", "4294967300", "46341"]),
        ("images", "height", [..WrongTypes, "0", "-3", "4", "100000", "4294967299", "46341"]),
        ("categories", "id", ["\"x\"", "null", "[]", "{}", "1.5", "true", "-1", "4294967297", "2"]),
        ("categories", "name", ["null", "\"\"", "\"   \"", "5", "[]"]),
        ("annotations", "id", [..WrongTypes, "-1", "9223372036854775808"]),
        ("annotations", "image_id", [..WrongTypes, "99", "4294967297", "-1"]),
        ("annotations", "category_id", [..WrongTypes, "4294967297", "4294967299", "2", "-1", "2147483648"]),
        ("annotations", "iscrowd", ["2", "-1", "1.5", "\"x\"", "[]"]),
        ("annotations", "segmentation", ["null", "5", "\"x\"", "[]", "[[]]", "[[0,0,1]]", "[[0,0,1,1,2]]", "[[\"a\",0,1,1,2,2]]",
            "[[0,0,1e400,0,1,1]]", "[5]", "{}", "{\"size\":[3,4]}", "{\"counts\":[12]}", "{\"size\":[3],\"counts\":[12]}",
            "{\"size\":[\"3\",\"4\"],\"counts\":[12]}", "{\"size\":[3.5,4],\"counts\":[12]}", "{\"size\":[4294967299,4],\"counts\":[12]}",
            "{\"size\":[3,4],\"counts\":[13]}", "{\"size\":[3,4],\"counts\":[-1,13]}", "{\"size\":[3,4],\"counts\":\"!!\"}",
            "{\"size\":[3,4],\"counts\":\"1\"}", "{\"size\":[3,4],\"counts\":5}", "{\"size\":[3,4],\"counts\":[1.5,10.5]}",
            "{\"size\":[3,4],\"counts\":[2147483647,2147483647]}", "{\"size\":[4,3],\"counts\":[12]}", "{\"size\":[3,4],\"counts\":\"ooooooooooooooo0\"}"]),
    ];

    public static IEnumerable<Mutation> Corpus()
    {
        foreach (var (array, field, bad) in Fields)
        {
            int records = JsonNode.Parse(CocoTestFolder.Valid)![array]!.AsArray().Count;
            for (int i = 0; i < records; i++)
            {
                int index = i;
                if (field != "iscrowd") // optional: absent means 0
                    yield return new($"{array}[{index}] without '{field}'", text => Edit(text, r => r[array]![index]!.AsObject().Remove(field)));
                foreach (string value in bad)
                    yield return new($"{array}[{index}].{field} = {value}", text => Replace(text, array, index, field, value));
            }
        }
        foreach (string array in new[] { "images", "categories", "annotations" })
        {
            yield return new($"no '{array}'", text => Edit(text, r => r.AsObject().Remove(array)));
            foreach (string value in new[] { "{}", "5", "\"x\"", "null", "[5]", "[[]]", "[null]" })
                yield return new($"'{array}' = {value}", text => Edit(text, r => r[array] = JsonNode.Parse(value)));
        }
        yield return new("duplicate image id", text => Edit(text, r => r["images"]![1]!["id"] = 1));
        yield return new("duplicate category id", text => Edit(text, r => r["categories"]![1]!["id"] = 1));
        yield return new("duplicate annotation id", text => Edit(text, r => r["annotations"]![1]!["id"] = 10));
        yield return new("category name differs between files is checked elsewhere; here: every category removed",
            text => Edit(text, r => r["categories"] = new JsonArray()));
        yield return new("no images at all", text => Edit(text, r => { r["images"] = new JsonArray(); r["annotations"] = new JsonArray(); }));
        foreach (string root in new[] { "[]", "5", "\"x\"", "null", "{}", "" })
            yield return new($"document = {(root == "" ? "(empty)" : root)}", _ => root);
        string valid = CocoTestFolder.Valid.TrimEnd();
        for (int cut = 1; cut < valid.Length; cut += valid.Length / 23)
        {
            int at = cut;
            yield return new($"cut after {at} characters", text => text[..at]);
        }
        yield return new("a NUL byte in the middle", text => text.Insert(text.Length / 2, "\0"));
        yield return new("an unescaped control character in a file name", text => text.Replace("a.png", "a\u0001.png"));
    }

    public static TheoryData<Mutation> CorpusData() => new(Corpus());

    [Fact]
    public void TheCorpusHasAtLeastAHundredMalformedImports() => Assert.True(Corpus().Count() >= 100, $"{Corpus().Count()} cases");

    [Theory]
    [MemberData(nameof(CorpusData))]
    public void EveryMalformedImportIsACocoFormatExceptionAndWritesNothing(Mutation mutation)
    {
        string json = mutation.Apply(CocoTestFolder.Valid);
        var error = Record.Exception(() => folder.Import(json));
        Assert.True(error is CocoFormatException, $"{mutation.Name}: {error?.GetType().Name ?? "no exception"}: {error?.Message}");
        var e = (CocoFormatException)error!;
        Assert.Equal("train.json", e.File);
        Assert.False(string.IsNullOrEmpty(e.Record) || string.IsNullOrEmpty(e.Field), e.Message);
        Assert.True(e.Message.Length < 600, $"{e.Message.Length} characters: {e.Message[..Math.Min(200, e.Message.Length)]}");
        Assert.Empty(folder.Repository.List());
    }

    /// <summary>Random stacks of one to three corpus mutations: the import either succeeds or is refused with a
    /// CocoFormatException; any other exception fails, and CsCheck prints the seed that reproduces it.</summary>
    [Fact]
    public void StackedMutationsImportOrAreRefusedByName()
    {
        var corpus = Corpus().ToArray();
        int imports = 0;
        Gen.Int[0, corpus.Length - 1].Array[1, 3].Sample(picks =>
        {
            string json = picks.Aggregate(CocoTestFolder.Valid, (text, i) => SafeApply(corpus[i], text));
            int before = folder.Repository.List().Count;
            try { folder.Import(json, name: $"t{Interlocked.Increment(ref imports)}"); }
            catch (CocoFormatException) { return folder.Repository.List().Count == before; }
            return true;
        }, iter: 300, threads: 1, print: picks => string.Join(" + ", picks.Select(i => corpus[i].Name)));
    }

    // A mutation whose target a previous one removed leaves the text as it was.
    private static string SafeApply(Mutation mutation, string text)
    {
        try { return mutation.Apply(text); }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException or System.Text.Json.JsonException) { return text; }
    }

    private static string Edit(string text, Action<JsonNode> change)
    {
        var root = JsonNode.Parse(text)!;
        change(root);
        return root.ToJsonString();
    }

    // Raw text replacement keeps values JsonNode cannot hold (1e400, integers past Int64).
    private static string Replace(string text, string array, int index, string field, string value)
    {
        const string Marker = "\"__MUTATED__\"";
        string marked = Edit(text, r => r[array]![index]![field] = "__MUTATED__");
        return marked.Replace(Marker, value);
    }
}
