using AttributionExplorer.Web.Endpoints;
using Microsoft.AspNetCore.Http;

namespace AttributionExplorer.Web.Tests.Endpoints;

public class EtagTests
{
    [Fact]
    public void MatchingIfNoneMatchMeansNotModifiedAndHeadersAreSet()
    {
        string etag = Etag.For("gt:5:1");
        Assert.NotEqual(etag, Etag.For("gt:6:1"));
        var fresh = new DefaultHttpContext();
        Assert.False(Etag.NotModified(fresh, etag));
        Assert.Equal(etag, fresh.Response.Headers.ETag.ToString());
        Assert.Contains("max-age", fresh.Response.Headers.CacheControl.ToString());
        var revalidate = new DefaultHttpContext();
        revalidate.Request.Headers.IfNoneMatch = etag;
        Assert.True(Etag.NotModified(revalidate, etag));
        var stale = new DefaultHttpContext();
        stale.Request.Headers.IfNoneMatch = Etag.For("other");
        Assert.False(Etag.NotModified(stale, etag));
    }
}
