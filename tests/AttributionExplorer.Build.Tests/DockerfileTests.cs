using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AttributionExplorer.Build.Tests;

/// <summary>The Dockerfile cannot be built on the development machines (no reachable base-image registry), so its
/// promises are checked against the repository: every path it copies exists, every project it publishes exists, the
/// start command runs the assemblies those projects produce with verbs the worker has, and the image's settings
/// (AE_HOME, port, data volume) agree with appsettings.json.</summary>
public class DockerfileTests
{
    private static readonly string Root = FindRoot();
    private static readonly Dockerfile File = Dockerfile.Parse(System.IO.File.ReadAllText(Path.Combine(Root, "Dockerfile")));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AttributionExplorer.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (AttributionExplorer.sln) not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void BaseImagesMatchTheTargetFramework()
    {
        string framework = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        string version = framework.Replace("net", "");
        Assert.All(File.Stages, s => Assert.EndsWith(":" + version, s.Image));
        Assert.Equal(2, File.Stages.Count);
    }

    [Fact]
    public void PublishedProjectsExistAndTheStartCommandRunsTheirAssemblies()
    {
        var build = File.Stages[0];
        var publishes = build.Instructions.Where(i => i.Keyword == "RUN")
            .SelectMany(i => Regex.Matches(i.Arguments, @"dotnet publish (\S+) .*?-o (\S+)").Select(m => (Project: m.Groups[1].Value, Output: m.Groups[2].Value)))
            .ToList();
        Assert.Equal(2, publishes.Count);
        var final = File.Stages[1];
        string cmd = final.Instructions.Single(i => i.Keyword == "CMD").Arguments;
        string workdir = final.Instructions.Last(i => i.Keyword == "WORKDIR").Arguments;
        foreach (var (project, output) in publishes)
        {
            string folder = Path.Combine(Root, project);
            string csproj = Assert.Single(Directory.GetFiles(folder, "*.csproj"));
            string assembly = XDocument.Load(csproj).Descendants("AssemblyName").SingleOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(csproj);
            var copy = final.Instructions.Single(i => i.Keyword == "COPY" && i.Arguments.StartsWith($"--from={build.Name} {output} "));
            string target = copy.Arguments.Split(' ')[2].TrimStart('.', '/');
            Assert.Contains($"dotnet {target}/{assembly}.dll", cmd);
        }
    }

    [Fact]
    public void TheWorkerVerbsTheImageRunsExist()
    {
        string cmd = File.Stages[1].Instructions.Single(i => i.Keyword == "CMD").Arguments;
        var verbs = Regex.Matches(cmd, @"precompute\.dll (\w[\w-]*)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["demo", "users", "serve"], verbs);
        string commands = string.Concat(Directory.GetFiles(Path.Combine(Root, "precompute/AttributionExplorer.Worker/Commands"), "*.cs").Select(System.IO.File.ReadAllText));
        foreach (string verb in verbs) Assert.Contains($"new Command(\"{verb}\"", commands);
        Assert.Contains("new Command(\"demo-admin\"", commands);
        Assert.Contains("users demo-admin --file data/demo-admin.txt", cmd);
    }

    [Fact]
    public void CopiedRepositoryPathsExist()
    {
        var copies = File.Stages[1].Instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from")).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            string source = copy.Arguments.Split(' ')[0];
            Assert.True(System.IO.File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY {source}: not in the repository");
        }
    }

    [Fact]
    public void SettingsAgreeWithAppsettings()
    {
        var final = File.Stages[1];
        string workdir = final.Instructions.Last(i => i.Keyword == "WORKDIR").Arguments;
        string env = string.Join(" ", final.Instructions.Where(i => i.Keyword == "ENV").Select(i => i.Arguments));
        Assert.Contains($"AE_HOME={workdir}", env);
        // appsettings.json and wwwroot must land in AE_HOME: the worker and the app resolve them there.
        Assert.Contains(final.Instructions, i => i.Keyword == "COPY" && i.Arguments == "appsettings.json ./appsettings.json");
        Assert.Contains(final.Instructions, i => i.Keyword == "COPY" && i.Arguments == "wwwroot ./wwwroot");
        // appsettings.json binds 127.0.0.1; the image binds every interface explicitly, on the port it exposes.
        string cmd = final.Instructions.Single(i => i.Keyword == "CMD").Arguments;
        string port = Regex.Match(cmd, @"AttributionExplorer\.Web\.dll --urls http://0\.0\.0\.0:(\d+)").Groups[1].Value;
        Assert.NotEqual("", port);
        Assert.Equal(port, final.Instructions.Single(i => i.Keyword == "EXPOSE").Arguments);
        using var settings = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Root, "appsettings.json")));
        var section = settings.RootElement.GetProperty("AttributionExplorer");
        string dataRoot = section.GetProperty("DataRoot").GetString()!;
        Assert.Equal($"{workdir}/{dataRoot}", final.Instructions.Single(i => i.Keyword == "VOLUME").Arguments);
        Assert.StartsWith(dataRoot + "/", section.GetProperty("DatabasePath").GetString());
        Assert.StartsWith("http://127.0.0.1:", settings.RootElement.GetProperty("Urls").GetString());
    }

    /// <summary>Just enough of the Dockerfile grammar for this file: stages, instructions, line continuations, comments.</summary>
    private sealed record Dockerfile(IReadOnlyList<Stage> Stages)
    {
        public static Dockerfile Parse(string text)
        {
            var stages = new List<Stage>();
            string joined = Regex.Replace(text, @"\\\r?\n\s*", " ");
            foreach (string raw in joined.Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                int space = line.IndexOf(' ');
                string keyword = line[..space].ToUpperInvariant(), arguments = line[(space + 1)..].Trim();
                if (keyword == "FROM")
                {
                    var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    stages.Add(new Stage(parts[0], parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : "", []));
                }
                else stages[^1].Instructions.Add(new Instruction(keyword, arguments));
            }
            return new Dockerfile(stages);
        }
    }

    private sealed record Stage(string Image, string Name, List<Instruction> Instructions);

    private sealed record Instruction(string Keyword, string Arguments);
}
