using AttributionExplorer.Core.Embeddings;

namespace AttributionExplorer.Core.Tests.Embeddings;

public sealed class EmbeddingIdListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idlist-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "ids.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void SkipsBlankLinesAndCommentsAndTrims()
    {
        var path = Write("# exported by open_clip\n000000000139.jpg\n\n  397133 \r\n   # indented comment\nimg #2.png\n");

        Assert.Equal(new[] { "000000000139.jpg", "397133", "img #2.png" }, EmbeddingIdList.Read(path));
    }

    [Fact]
    public void DuplicateIdentifierNamesBothLines()
    {
        var path = Write("a.jpg\nb.jpg\n\na.jpg\n");

        var ex = Assert.Throws<InvalidDataException>(() => EmbeddingIdList.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("line 4", ex.Message);
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(_dir, "absent.txt");
        var ex = Assert.Throws<FileNotFoundException>(() => EmbeddingIdList.Read(path));
        Assert.Contains(path, ex.Message);
    }
}
