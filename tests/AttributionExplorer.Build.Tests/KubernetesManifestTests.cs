using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AttributionExplorer.Build.Tests;

/// <summary>deploy/k8s cannot be applied here (`kubectl apply --dry-run=client` needs an API server for discovery, and
/// the development machines have none), so its promises are checked against the repository: an Indexed Job per
/// distributable stage whose index is the shard (completions = parallelism = SHARDS, "$(JOB_COMPLETION_INDEX)/$(SHARDS)"),
/// the shared directory a ReadWriteMany claim that those pods mount and pass as --dir, the database volume mounted only
/// by the plan and merge jobs, the worker verbs and the image's layout matching the CLI and the Dockerfile. Where kubectl
/// is installed, `kubectl kustomize` (offline) must render the same objects.</summary>
public class KubernetesManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Folder = Path.Combine(Root, "deploy/k8s");
    private static readonly string[] Stages = ["featurize", "finalize", "score"];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AttributionExplorer.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (AttributionExplorer.sln) not found above " + AppContext.BaseDirectory);
    }

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, file));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static IReadOnlyList<string> Resources() =>
        ((YamlSequenceNode)Documents("kustomization.yaml")[0]["resources"]).Select(n => ((YamlScalarNode)n).Value!).ToList();

    private static List<YamlMappingNode> All() => Resources().SelectMany(Documents).ToList();

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (string key in path) node = ((YamlMappingNode)node)[key];
        return ((YamlScalarNode)node).Value!;
    }

    private static YamlMappingNode Map(YamlNode node, params string[] path)
    {
        foreach (string key in path) node = ((YamlMappingNode)node)[key];
        return (YamlMappingNode)node;
    }

    private static bool Has(YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    private static YamlMappingNode Job(string name) => All().Single(d => Scalar(d, "kind") == "Job" && Scalar(d, "metadata", "name") == name);

    private static YamlMappingNode Container(YamlMappingNode job) => (YamlMappingNode)((YamlSequenceNode)Map(job, "spec", "template", "spec")["containers"]).Single();

    private static List<string> Command(YamlMappingNode job) =>
        ((YamlSequenceNode)Container(job)["command"]).Select(n => ((YamlScalarNode)n).Value!).ToList();

    /// <summary>Mount path → claim name of the job's pod.</summary>
    private static Dictionary<string, string> Mounts(YamlMappingNode job)
    {
        var spec = Map(job, "spec", "template", "spec");
        var claims = ((YamlSequenceNode)spec["volumes"]).Cast<YamlMappingNode>().ToDictionary(v => Scalar(v, "name"), v => Scalar(v, "persistentVolumeClaim", "claimName"));
        return ((YamlSequenceNode)Container(job)["volumeMounts"]).Cast<YamlMappingNode>().ToDictionary(m => Scalar(m, "mountPath"), m => claims[Scalar(m, "name")]);
    }

    private static string Env(YamlMappingNode job, string name) => ((YamlSequenceNode)Container(job)["env"]).Cast<YamlMappingNode>()
        .Single(e => Scalar(e, "name") == name) is var e ? Scalar(e, "value") : "";

    [Fact]
    public void EveryManifestIsAResourceOfTheKustomization()
    {
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
        Assert.Equal(files, Resources().Order());
        Assert.All(All(), d => Assert.Equal("attribution-explorer", Scalar(d, "metadata", "labels", "app.kubernetes.io/part-of")));
    }

    [Fact]
    public void EachDistributableStageIsAnIndexedJobWhoseIndexIsTheShard()
    {
        string sharedClaim = All().Single(d => Scalar(d, "kind") == "PersistentVolumeClaim" && Scalar(d, "metadata", "name") == "ae-trak-shared") is var pvc
            ? Scalar(pvc, "metadata", "name") : "";
        Assert.Equal("ReadWriteMany", Scalar(((YamlSequenceNode)Map(pvc, "spec")["accessModes"])[0]));
        foreach (string stage in Stages)
        {
            var job = Job($"trak-{stage}");
            Assert.Equal("batch/v1", Scalar(job, "apiVersion"));
            Assert.Equal("Indexed", Scalar(job, "spec", "completionMode"));
            string shards = Env(job, "SHARDS");
            Assert.Equal(shards, Scalar(job, "spec", "completions"));
            Assert.Equal(shards, Scalar(job, "spec", "parallelism"));
            Assert.True(int.Parse(shards) > 1);
            Assert.Equal("Never", Scalar(job, "spec", "template", "spec", "restartPolicy"));
            var command = Command(job);
            Assert.Equal(["dotnet", "worker/precompute.dll", "trak-shard", stage], command.Take(4));
            Assert.Equal("$(JOB_COMPLETION_INDEX)/$(SHARDS)", command[command.IndexOf("--shard") + 1]);
            // The shards mount the shared claim, pass it as --dir, and never see the database.
            var mounts = Mounts(job);
            Assert.Equal(sharedClaim, Assert.Single(mounts).Value);
            Assert.Equal(mounts.Single().Key, command[command.IndexOf("--dir") + 1]);
        }
    }

    [Fact]
    public void PlanAndMergeAreSinglePodsWithTheDatabaseVolumeAtTheImagesDataFolder()
    {
        string dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        string workdir = Regex.Matches(dockerfile, @"^WORKDIR (\S+)", RegexOptions.Multiline).Last().Groups[1].Value;
        string volume = Regex.Match(dockerfile, @"^VOLUME (\S+)", RegexOptions.Multiline).Groups[1].Value;
        Assert.Matches(@"COPY --from=build \S+ \./worker", dockerfile);
        foreach (var (name, verb) in new[] { ("trak-plan", "plan"), ("trak-merge", "merge") })
        {
            var job = Job(name);
            Assert.False(Has(Map(job, "spec"), "completionMode"));
            Assert.Equal("1", Scalar(job, "spec", "completions"));
            var command = Command(job);
            Assert.Equal(["dotnet", "worker/precompute.dll", "trak-shard", verb], command.Take(4));
            Assert.Equal(workdir, Scalar(Container(job), "workingDir"));
            var mounts = Mounts(job);
            Assert.Equal("ae-data", mounts[volume]);
            Assert.Equal("ae-trak-shared", mounts[command[command.IndexOf("--dir") + 1]]);
        }
        Assert.All(new[] { "trak-plan", "trak-featurize", "trak-finalize", "trak-score", "trak-merge" }, j => Assert.Equal(workdir, Scalar(Container(Job(j)), "workingDir")));
    }

    [Fact]
    public void TheVerbsAndOptionsTheJobsCallExistInTheWorker()
    {
        string commands = File.ReadAllText(Path.Combine(Root, "precompute/AttributionExplorer.Worker/Commands/TrakShardCommand.cs"));
        string stages = File.ReadAllText(Path.Combine(Root, "precompute/AttributionExplorer.Worker/Pipeline/Trak/Sharded/ShardStages.cs"));
        Assert.Contains("new Command(\"trak-shard\"", commands);
        foreach (string option in new[] { "--dir", "--shard", "--dataset", "--demo-sizes" })
            Assert.Contains($"\"{option}\"", commands + File.ReadAllText(Path.Combine(Root, "precompute/AttributionExplorer.Worker/Commands/WorkerCommands.cs")));
        foreach (string stage in Stages) Assert.Matches($"public const string \\w+ = \"{stage}\";", stages);
        Assert.Contains("new Command(\"plan\"", commands);
        Assert.Contains("new Command(\"merge\"", commands);
        foreach (var job in All().Where(d => Scalar(d, "kind") == "Job"))
            foreach (string option in Command(job).Where(a => a.StartsWith("--")))
                Assert.Contains($"\"{option}\"", commands + File.ReadAllText(Path.Combine(Root, "precompute/AttributionExplorer.Worker/Commands/WorkerCommands.cs")));
    }

    [SkippableFact]
    public void KubectlKustomizeRendersTheSameObjectsOffline()
    {
        string? kubectl = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(p => Path.Combine(p, "kubectl")).FirstOrDefault(File.Exists);
        Skip.If(kubectl is null, "kubectl is not installed (`scripts/setup.sh --cluster` installs Debian's kubernetes-client): only the schema checks ran");
        var start = new ProcessStartInfo(kubectl, ["kustomize", Folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000) && process.ExitCode == 0, error);
        var rendered = new YamlStream();
        rendered.Load(new StringReader(output));
        Assert.Equal(All().Select(d => $"{Scalar(d, "kind")}/{Scalar(d, "metadata", "name")}").Order(),
            rendered.Documents.Select(d => $"{Scalar(d.RootNode, "kind")}/{Scalar(d.RootNode, "metadata", "name")}").Order());
    }
}
