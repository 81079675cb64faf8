using AttributionExplorer.Precompute.Trak.OnDemand;
using TorchSharp;

namespace AttributionExplorer.Precompute.Tests.Trak.OnDemand;

public class ScoringMatrixFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-matrix").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void RoundTripsAndDetectsAChangedOrMisdescribedFile()
    {
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(dir, "m.bin");
        var matrix = torch.arange(12, dtype: torch.float32).reshape(3, 4).div_(7);
        string sha = ScoringMatrixFile.Save(path, matrix);
        Assert.True(ScoringMatrixFile.Load(path, 3, 4, sha).allclose(matrix, 0, 0));

        Assert.Contains("expects 4×3", Assert.Throws<InvalidDataException>(() => ScoringMatrixFile.Load(path, 4, 3, sha)).Message);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("SHA-256", Assert.Throws<InvalidDataException>(() => ScoringMatrixFile.Load(path, 3, 4, sha)).Message);
        Assert.Throws<FileNotFoundException>(() => ScoringMatrixFile.Load(Path.Combine(dir, "none.bin"), 3, 4, sha));
    }
}
