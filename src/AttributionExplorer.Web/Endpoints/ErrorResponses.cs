using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AttributionExplorer.Core.Options;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AttributionExplorer.Web.Endpoints;

/// <summary>Every error has a body: JSON ProblemDetails (RFC 9457) for /api routes and API clients, a plain HTML
/// error page otherwise. Exceptions are logged with a trace id and never shown to the client; malformed requests
/// say what was wrong with them. API request bodies are bounded.</summary>
public static class ErrorResponses
{
    /// <summary>Largest JSON body an /api route reads (region masks, export rules); uploads have their own limit.</summary>
    public const long MaxApiBodyBytes = 64 * 1024;
    /// <summary>Room for multipart boundaries and headers around an uploaded image.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;
    private const string BodyLimitKey = "AttributionExplorer.BodyLimit";

    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions.Remove("exception");
            c.ProblemDetails.Extensions["traceId"] = TraceId(c.HttpContext);
        });
        // Binding failures (malformed JSON, a missing form field) become exceptions the handler below turns into a
        // 400 that names the parameter, instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = HandleException,
            // A malformed request is the client's error, answered with a 4xx: no error log with a stack trace.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages(context => Write(context.HttpContext, context.HttpContext.Response.StatusCode, Detail(context.HttpContext)));
        app.Use(LimitApiBodies);
        return app;
    }

    private static Task LimitApiBodies(HttpContext context, Func<Task> next)
    {
        if (!IsApi(context.Request)) return next();
        long limit = context.Request.HasFormContentType
            ? context.RequestServices.GetRequiredService<AppOptions>().ImageLimits.Upload.MaxBytes + MultipartOverheadBytes
            : MaxApiBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Write(context, StatusCodes.Status413PayloadTooLarge, $"The request body of {context.Request.ContentLength} bytes is over the limit of {limit} bytes for this route.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        context.Request.Body = new BoundedRequestBody(context.Request.Body, limit);
        context.Items[BodyLimitKey] = limit;
        return next();
    }

    private static Task HandleException(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        int status;
        string detail;
        if (error is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
            if (status == StatusCodes.Status413PayloadTooLarge)
            {
                var limits = new List<string>();
                for (Exception? e = bad; e is not null; e = e.InnerException)
                    if (e is BadHttpRequestException && e.Message.Contains("over the limit of")) limits.Add(e.Message);
                detail = limits.LastOrDefault() ?? "The request body is over the limit for this route.";
            }
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            detail = "The server failed to handle this request; the error is logged under the trace id.";
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses))
                .LogError(error, "unhandled error for {Method} {Path} (trace {TraceId})", context.Request.Method, context.Request.Path, TraceId(context));
        }
        context.Response.StatusCode = status;
        return Write(context, status, detail);
    }

    private static string Detail(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => context.Items[Security.ApiTokenHandler.FailureKey] is string reason
            ? $"The API token was refused: {reason}."
            : "Sign in first (the sign-in page is /signin), or send an API token: Authorization: Bearer … (`precompute users token --name NAME`).",
        StatusCodes.Status403Forbidden => "Your role may not do this.",
        StatusCodes.Status404NotFound => $"Nothing is at {context.Request.Path}.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => context.Items[BodyLimitKey] is long limit
            ? $"The request body is over the limit of {limit} bytes for this route."
            : "The request body is over the limit for this route.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json (uploads: multipart/form-data).",
        _ => ReasonPhrases.GetReasonPhrase(context.Response.StatusCode),
    };

    /// <summary>Writes the error body: ProblemDetails for /api routes and non-browser callers, the HTML error page otherwise.</summary>
    public static async Task Write(HttpContext context, int status, string detail)
    {
        string title = ReasonPhrases.GetReasonPhrase(status);
        if (WantsJson(context.Request))
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path },
            });
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(ErrorPage(status, title, detail, TraceId(context)));
    }

    /// <summary>A 404 for a run or export an /api address names: <c>{"error": …}</c> for API clients, the HTML error page
    /// (with a link back) when a browser navigated there, e.g. by a download link.</summary>
    public static IResult NotFound(HttpContext context, string detail) =>
        context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            ? Results.Content(ErrorPage(StatusCodes.Status404NotFound, ReasonPhrases.GetReasonPhrase(StatusCodes.Status404NotFound), detail, TraceId(context)),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
            : Results.NotFound(new { error = detail });

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static bool WantsJson(HttpRequest request) =>
        IsApi(request) || !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;

    public static string ErrorPage(int status, string title, string detail, string traceId)
    {
        string Encode(string s) => WebUtility.HtmlEncode(s);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            <title>{status} {Encode(title)} · AttributionExplorer</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222{"}"}code{"{"}background:#f3f3f3;padding:0 .25rem{"}"}</style></head>
            <body><main>
            <h1>{status} {Encode(title)}</h1>
            <p>{Encode(detail)}</p>
            <p>Trace id: <code>{Encode(traceId)}</code> (give it to whoever runs this server).</p>
            <p><a href="/">Back to the datasets</a></p>
            </main></body>
            </html>
            """;
    }
}
