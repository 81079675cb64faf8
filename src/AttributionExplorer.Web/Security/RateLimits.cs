using System.Globalization;
using System.Threading.RateLimiting;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Endpoints;
using Microsoft.AspNetCore.RateLimiting;

namespace AttributionExplorer.Web.Security;

/// <summary>ASP.NET Core's rate limiter on sign-in (per client address), uploads and job queueing (per user), with
/// the limits from AttributionExplorer:Security:RateLimits. A refusal is a 429 ProblemDetails with Retry-After.</summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Uploads = "uploads";
    public const string Jobs = "jobs";

    public static IServiceCollection AddAppRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddSingleton(new CircuitJobLimiter(limits.Jobs));
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                string what = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "requests";
                var limit = what switch { SignIn => limits.SignIn, Uploads => limits.Uploads, _ => limits.Jobs };
                string retry = "";
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                {
                    int seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    retry = $" Retry after {seconds} s.";
                }
                return new ValueTask(ErrorResponses.Write(http, StatusCodes.Status429TooManyRequests,
                    $"Too many {what} requests: at most {limit.PermitLimit} per {limit.WindowSeconds} s (AttributionExplorer:Security:RateLimits:{Key(what)}).{retry}"));
            };
            o.AddPolicy(SignIn, http => Partition("ip:" + http.Connection.RemoteIpAddress, limits.SignIn));
            o.AddPolicy(Uploads, http => Partition(Caller(http), limits.Uploads));
            o.AddPolicy(Jobs, http => Partition(Caller(http), limits.Jobs));
        });
    }

    private static string Key(string policy) => policy switch { SignIn => "SignIn", Uploads => "Uploads", _ => "Jobs" };

    private static string Caller(HttpContext http) =>
        http.User.Identity?.Name is { } name ? "user:" + name : "ip:" + http.Connection.RemoteIpAddress;

    private static RateLimitPartition<string> Partition(string key, FixedWindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => Options(limit));

    internal static FixedWindowRateLimiterOptions Options(FixedWindowLimit limit) =>
        new() { PermitLimit = limit.PermitLimit, Window = TimeSpan.FromSeconds(limit.WindowSeconds), QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>The same per-user job limit for jobs queued from a page (through the Blazor circuit, which the HTTP rate
/// limiter does not see).</summary>
public sealed class CircuitJobLimiter(FixedWindowLimit limit) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(
        user => RateLimitPartition.GetFixedWindowLimiter(user, _ => RateLimits.Options(limit)));

    /// <summary>Null when the user may queue a job now, else why not.</summary>
    public string? TryQueue(string user)
    {
        using var lease = limiter.AttemptAcquire(user);
        if (lease.IsAcquired) return null;
        string retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? $"; try again in {Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))} s" : "";
        return $"Too many jobs: at most {limit.PermitLimit} per {limit.WindowSeconds} s{retry}.";
    }

    public void Dispose() => limiter.Dispose();
}
