using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AttributionExplorer.Precompute.Tests.Deploy;

/// <summary>deploy/slurm on a real one-node Slurm cluster (slurm-single-node.sh starts munged, slurmctld and slurmd):
/// the tiny demo's TRAK as 4-task sbatch arrays with afterok dependencies, merged and compared with a single-process
/// TRAK of the same checkpoints. Skipped, with the script's reason, where the daemons cannot run (README, "Slurm").</summary>
public class SlurmSingleNodeTests
{
    [SkippableFact]
    public void FourShardArraysThroughSbatchMergeToTheSingleProcessScores()
    {
        string root = Root();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "tests/AttributionExplorer.Precompute.Tests/Deploy/slurm-single-node.sh"), "4"])
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the Slurm test ran over 4 minutes:\n" + output);
        }
        string all = output + stderr.Result;
        Console.WriteLine(all);
        var skip = Regex.Match(all, "^SKIP: (.*)$", RegexOptions.Multiline);
        Skip.If(process.ExitCode == 77, skip.Success ? skip.Groups[1].Value : "skipped without a reason");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{all}");
        Assert.Matches(@"submitted featurize: array job \d+ \(0-3\)", all);
        Assert.Matches(@"submitted score: array job \d+ \(0-3\)", all);
        var merged = Regex.Match(all, @"maximum relative difference to the reference: (\S+)");
        Assert.True(merged.Success, all);
        Assert.InRange(double.Parse(merged.Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-4);
        Assert.Equal(3, Regex.Matches(all, @"same identity: yes").Count);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AttributionExplorer.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
