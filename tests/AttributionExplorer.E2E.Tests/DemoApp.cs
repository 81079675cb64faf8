using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AttributionExplorer.Tests.Shared;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>The real thing on a small demo: `precompute demo` into a temporary AE_HOME, users made with `precompute
/// users`, then the web app on a free Kestrel port and `precompute serve` as child processes, and Debian's chromium
/// driven by Playwright (no download). The demo's files are imported a second time as "demo-copy" (no models, no
/// scores) so there are two datasets. Every child process is stopped however the tests end (<see cref="FixtureProcesses"/>).</summary>
public sealed class DemoApp : IAsyncLifetime
{
    private readonly FixtureProcesses processes = new();
    private readonly Dictionary<string, string> signedInStates = [];
    private readonly SemaphoreSlim signingIn = new(1, 1);
    private IPlaywright? playwright;
    private string worker = "";

    /// <summary>Users the fixture makes (all with <see cref="Password"/>): pages open signed in as the admin by default.</summary>
    public const string Admin = "e2e-admin";
    public const string Annotator = "e2e-annotator";
    public const string Viewer = "e2e-viewer";
    public const string Password = "e2e journeys password";

    public string Home { get; } = Directory.CreateTempSubdirectory("ae-e2e").FullName;
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public string DatabasePath => Path.Combine(Home, "data", "attribution.db");
    public TimeSpan PrecomputeTime { get; private set; }
    public const string CopyName = "demo-copy";
    /// <summary>The precomputed demo dataset, and its second import (nothing computed on it).</summary>
    public long DemoId { get; private set; }
    public long CopyId { get; private set; }
    /// <summary>The demo's held-out gallery (each journey starts from a dataset's page).</summary>
    public string DemoGallery => $"/datasets/{DemoId}";

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AttributionExplorer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no AttributionExplorer.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Debug or Release, whichever this test assembly was built in; the app and worker are built alongside.</summary>
    private static string Configuration() =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string ChromiumPath()
    {
        string path = Environment.GetEnvironmentVariable("AE_CHROMIUM") ?? "/usr/bin/chromium";
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"chromium not found at {path}: run scripts/setup.sh --browser (installs Debian's chromium) or set AE_CHROMIUM");
    }

    /// <summary>If anything fails here, whatever was started is stopped before the error reaches xUnit.</summary>
    public Task InitializeAsync() => processes.InitializeOrStop(StartAsync, CloseBrowserAsync);

    private async Task StartAsync()
    {
        string repo = RepoRoot(), config = Configuration();
        File.WriteAllText(Path.Combine(Home, "appsettings.json"), SmallDemoSettings);
        Directory.CreateSymbolicLink(Path.Combine(Home, "wwwroot"), Path.Combine(repo, "wwwroot"));
        worker = Path.Combine(repo, "precompute", "AttributionExplorer.Worker", "bin", config, "net10.0", "precompute.dll");
        string web = Path.Combine(repo, "src", "AttributionExplorer.Web", "bin", config, "net10.0", "AttributionExplorer.Web.dll");

        var clock = Stopwatch.StartNew();
        var (code, output) = await RunToEnd(worker, "demo");
        if (code != 0) throw new InvalidOperationException($"precompute demo failed ({code}):\n{output}");
        (code, output) = await RunToEnd(worker, "eval all --dataset demo --demo-sizes");
        if (code != 0) throw new InvalidOperationException($"precompute eval all failed ({code}):\n{output}");
        string files = Path.Combine(Home, "data", "demo-dataset");
        (code, output) = await RunToEnd(worker, $"import-coco --name {CopyName} --images \"{Path.Combine(files, "images")}\" " +
            $"--train-json \"{Path.Combine(files, "instances_train.json")}\" --val-json \"{Path.Combine(files, "instances_val.json")}\"");
        if (code != 0) throw new InvalidOperationException($"precompute import-coco failed ({code}):\n{output}");
        foreach (var (name, role) in new[] { (Admin, "admin"), (Annotator, "annotator"), (Viewer, "viewer") })
        {
            (code, output) = await RunToEnd(worker, $"users add --name {name} --role {role}", input: Password + "\n");
            if (code != 0) throw new InvalidOperationException($"precompute users add {name} failed ({code}):\n{output}");
        }
        PrecomputeTime = clock.Elapsed;
        DemoId = DatasetId("demo");
        CopyId = DatasetId(CopyName);

        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        Start(web, $"--urls {BaseUrl}");
        Start(worker, "serve --poll-ms 200");
        await WaitForHttp(BaseUrl + "/healthz", TimeSpan.FromSeconds(60));

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser page at <paramref name="path"/>, signed in as <paramref name="user"/> (one of the fixture's
    /// users) and with an interactive Blazor circuit (safe to click); with <paramref name="user"/> null, signed out (no
    /// circuit to wait for). The one place pages are made: journeys call it, helpers build on it.</summary>
    public async Task<IPage> OpenAsync(string path, string? user = Admin)
    {
        var page = await NewPageAsync(user: user);
        await page.GotoAsync(BaseUrl + path);
        if (user is not null) await WaitInteractive(page);
        return page;
    }

    /// <summary>A blank page (nothing loaded yet, so a journey can listen to its events first) of
    /// <paramref name="width"/> × <paramref name="height"/>, signed in as <paramref name="user"/> (null: signed out).</summary>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 1000, string? user = Admin)
    {
        var context = await NewContextAsync(width, height, user);
        var page = await context.NewPageAsync();
        page.Close += (_, _) => _ = context.CloseAsync();
        return page;
    }

    /// <summary>A browser context (its pages share a cache and cookies) signed in as <paramref name="user"/> (null: signed out).</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1400, int height = 1000, string? user = Admin)
    {
        var options = new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } };
        if (user is not null) options.StorageState = await SignedInState(user);
        return await Browser.NewContextAsync(options);
    }

    /// <summary>Signs in on the sign-in page (the form, as a person does) once per user; later pages reuse its cookie.</summary>
    private async Task<string> SignedInState(string user)
    {
        await signingIn.WaitAsync();
        try
        {
            if (signedInStates.TryGetValue(user, out var state)) return state;
            await using var context = await Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(BaseUrl + "/signin");
            await SignInAsync(page, user, Password);
            await page.WaitForSelectorAsync($"[data-user='{user}']", new PageWaitForSelectorOptions { Timeout = 30_000 });
            return signedInStates[user] = await context.StorageStateAsync();
        }
        finally
        {
            signingIn.Release();
        }
    }

    /// <summary>The smallest non-crowd object of a demo image (by COCO id) and its mask pixel nearest the mask's centroid
    /// (a pixel no other object covers, since the page picks the smallest object under the cursor); the object's COCO id.</summary>
    public (long CocoId, int X, int Y, int Width) ObjectPixel(long imageCocoId)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT a.coco_id, a.rle_height, a.rle_width, a.rle_counts FROM annotations a JOIN images i ON i.id = a.image_id " +
            $"WHERE i.dataset_id = {DemoId} AND i.coco_id = {imageCocoId} AND a.is_crowd = 0 ORDER BY a.area LIMIT 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw new InvalidOperationException($"demo image {imageCocoId} has no object");
        int h = reader.GetInt32(1), w = reader.GetInt32(2);
        var mask = Core.Masks.RleCodec.Decode(new Core.Masks.RleMask(h, w, Core.Masks.RleCodec.FromCompressedString(reader.GetString(3))));
        var pixels = Enumerable.Range(0, mask.Length).Where(i => mask[i]).Select(i => (X: i % w, Y: i / w)).ToList();
        double cx = pixels.Average(p => p.X), cy = pixels.Average(p => p.Y);
        var best = pixels.MinBy(p => (p.X - cx) * (p.X - cx) + (p.Y - cy) * (p.Y - cy));
        return (reader.GetInt64(0), best.X, best.Y, w);
    }

    /// <summary>Fills and sends the sign-in form of a page that shows it.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>Blazor navigates in the page (pushState), so wait on the location rather than on a load event.</summary>
    public static Task WaitForQuery(IPage page, string fragment) =>
        page.WaitForFunctionAsync("f => location.search.includes(f)", fragment, new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>Waits until location.pathname + location.search matches the JavaScript regular expression.</summary>
    public static Task WaitForLocation(IPage page, string pattern) =>
        page.WaitForFunctionAsync("p => new RegExp(p).test(location.pathname + location.search)", pattern, new PageWaitForFunctionOptions { Timeout = 30_000 });

    public static Task WaitInteractive(IPage page) =>
        page.WaitForSelectorAsync("[data-circuit='ready']", new PageWaitForSelectorOptions { Timeout = 30_000 });

    private ProcessStartInfo Info(string dll, string args)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {args}")
        {
            WorkingDirectory = Home, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["AE_HOME"] = Home;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return info;
    }

    private Task<(int Code, string Output)> RunToEnd(string dll, string args, string? input = null) =>
        processes.RunToEnd(Info(dll, args), TimeSpan.FromMinutes(10), input);

    /// <summary>Runs a `precompute` verb against this fixture's database (e.g. `users list`).</summary>
    public Task<(int Code, string Output)> Precompute(string args, string? input = null) => RunToEnd(worker, args, input);

    private void Start(string dll, string args)
    {
        var process = processes.Start(Info(dll, args));
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private long DatasetId(string name)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT id FROM datasets WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (long)(command.ExecuteScalar() ?? throw new InvalidOperationException($"no dataset '{name}' in {DatabasePath}"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForHttp(string url, TimeSpan limit)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (clock.Elapsed > limit) throw new TimeoutException($"{url} did not answer within {limit.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        try { await CloseBrowserAsync(); }
        finally { processes.Dispose(); }
    }

    private async Task CloseBrowserAsync()
    {
        if (playwright is not null)
        {
            if (Browser is not null) await Browser.DisposeAsync();
            playwright.Dispose();
            playwright = null;
        }
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { }
    }

    private const string SmallDemoSettings = """
    {
      "Logging": { "LogLevel": { "Default": "Warning" } },
      "AttributionExplorer": {
        "DatabasePath": "data/attribution.db",
        "DataRoot": "data",
        "Demo": {
          "Seed": 7, "TrainImages": 40, "ValImages": 6, "ImageSize": 48, "LabelErrorRate": 0.1,
          "Model": { "ImageSize": 32, "BaseWidth": 8, "BlocksPerStage": 1, "AsppChannels": 8, "AsppRates": [ 1, 2 ] },
          "Training": { "Epochs": 3, "BatchSize": 8, "LearningRate": 0.002, "Seeds": [ 0, 1 ] },
          "Trak": { "ProjectionDim": 64, "GradientBatchSize": 8, "TopK": 20 },
          "Similarity": { "ImageSize": 32, "EncoderWidth": 4, "HiddenDim": 16, "EmbeddingDim": 8, "QueueSize": 16, "Epochs": 2, "BatchSize": 8, "TopK": 20 }
        },
        "Evaluation": {
          "Epochs": 1,
          "Counterfactual": { "Targets": 2 },
          "Lds": { "Subsets": 4 },
          "Brittleness": { "Budget": 3 },
          "Curation": { "Percents": [ 0, 20, 50 ], "Seeds": [ 0, 1 ] }
        }
      }
    }
    """;
}

[CollectionDefinition(Name)]
public sealed class DemoAppCollection : ICollectionFixture<DemoApp>
{
    public const string Name = "demo app";
}
