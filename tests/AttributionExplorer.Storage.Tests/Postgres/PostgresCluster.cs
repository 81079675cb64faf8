using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AttributionExplorer.Storage.Postgres;
using Npgsql;

namespace AttributionExplorer.Tests.Shared;

/// <summary>One throwaway PostgreSQL cluster per test run: initdb into a temporary folder, started with pg_ctl on a free
/// port (as the "postgres" OS user when the tests run as root, which initdb refuses), stopped and deleted when the test
/// process exits, whatever the outcome. Each test gets a fresh database copied from a migrated template.
/// Without server binaries the PostgreSQL tests are skipped with the reason, or fail when AE_REQUIRE_POSTGRES=1 (CI).</summary>
internal sealed class PostgresCluster
{
    public const string RequireVariable = "AE_REQUIRE_POSTGRES", BinVariable = "AE_POSTGRES_BIN";
    private const string FolderPrefix = "ae-pg-", Superuser = "ae", Template = "ae_template";
    private static readonly Lazy<PostgresCluster?> Shared = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string unavailable = "";

    private readonly string bin, root, data;
    private readonly bool asPostgresUser;
    private readonly NpgsqlDataSource admin;

    /// <summary>The running cluster; skips the calling test with the reason when there is none (fails under AE_REQUIRE_POSTGRES=1).</summary>
    public static PostgresCluster Require()
    {
        if (Shared.Value is { } cluster) return cluster;
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            throw new InvalidOperationException($"{RequireVariable}=1 but {unavailable} (scripts/setup.sh installs the Debian package postgresql)");
        throw new SkipException($"PostgreSQL tests skipped: {unavailable}");
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database }.ConnectionString;

    /// <summary>A new, empty (or migrated) database, dropped with its connections when disposed.</summary>
    public TestDatabase CreateDatabase(bool migrated = true)
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        Admin($"CREATE DATABASE {name} TEMPLATE {(migrated ? Template : "template0")}");
        return new TestDatabase(this, name);
    }

    public sealed class TestDatabase(PostgresCluster cluster, string name) : IDisposable
    {
        public string Name => name;
        public string ConnectionString => cluster.ConnectionString(name);
        public void Dispose() => cluster.Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private void Admin(string sql)
    {
        using var command = admin.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    private static PostgresCluster? StartShared()
    {
        string? bin = FindBinaries();
        if (bin is null)
        {
            unavailable = $"no PostgreSQL server binaries (initdb, pg_ctl) in ${BinVariable}, /usr/lib/postgresql/*/bin or PATH";
            return null;
        }
        StopAbandoned(bin);
        return new PostgresCluster(bin);
    }

    private PostgresCluster(string bin)
    {
        this.bin = bin;
        asPostgresUser = Environment.UserName == "root";
        root = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString());
        if (asPostgresUser) Run("chown", ["postgres:postgres", root], asUser: false);
        WatchOwner();
        try
        {
            Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            Port = FreePort();
            // Durability is worthless for a cluster deleted at exit; without it each test's database costs milliseconds.
            Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start"]);
            admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
            Admin($"CREATE DATABASE {Template}");
            using (var template = new PostgresDatabase(ConnectionString(Template), root)) template.Migrate();
            NpgsqlConnection.ClearAllPools();
        }
        catch
        {
            Stop(bin, root);
            throw;
        }
    }

    /// <summary>The folder named by AE_POSTGRES_BIN (only it, when set), else the newest /usr/lib/postgresql/N/bin, else PATH.</summary>
    private static string? FindBinaries()
    {
        IEnumerable<string> candidates = Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } configured
            ? [configured]
            : (Directory.Exists("/usr/lib/postgresql")
                    ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0).Select(d => Path.Combine(d, "bin"))
                    : [])
                .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Clusters of earlier test processes that were killed before they could stop theirs.</summary>
    private static void StopAbandoned(string bin)
    {
        foreach (string folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            string pidFile = Path.Combine(folder, "owner.pid");
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), out int pid) || IsAlive(pid)) continue;
            Stop(bin, folder);
        }
    }

    private static bool IsAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static void Stop(string bin, string folder)
    {
        string dataFolder = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(dataFolder, "postmaster.pid")))
            try { Run(Path.Combine(bin, "pg_ctl"), ["-D", dataFolder, "-m", "immediate", "-w", "stop"], asUser: Environment.UserName == "root"); }
            catch (InvalidOperationException) { }
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Stops the cluster and deletes its folder once this process has ended, however it ends (the test
    /// runner ends its host soon after the last test, before exit handlers could finish; a crash runs none): a
    /// shell outside this process tree (setsid -f) waits for this process id to disappear.</summary>
    private void WatchOwner()
    {
        string pgCtl = $"'{Path.Combine(bin, "pg_ctl")}' -D '{data}' -m immediate -w stop";
        string script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 0.2; done; " +
                        $"{(asPostgresUser ? $"runuser -u postgres -- {pgCtl}" : pgCtl)} >/dev/null 2>&1; rm -rf '{root}'";
        var watcher = new ProcessStartInfo("setsid") { ArgumentList = { "-f", "sh", "-c", script }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(watcher) ?? throw new InvalidOperationException("could not start the cluster's clean-up watcher (setsid)");
        process.WaitForExit();
    }

    private void Run(string program, IReadOnlyList<string> arguments) => Run(program, arguments, asPostgresUser);

    private static void Run(string program, IReadOnlyList<string> arguments, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asUser) foreach (string a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(90_000)) { process.Kill(); throw new InvalidOperationException($"{program} did not finish in 90 s"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr}{stdout.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
