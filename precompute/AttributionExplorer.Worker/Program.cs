using System.CommandLine;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Commands;
using AttributionExplorer.Worker.Infrastructure;
using Microsoft.Data.Sqlite;

var root = new RootCommand("AttributionExplorer precompute worker: import data, train models, compute TRAK scores into SQLite or PostgreSQL.");
foreach (var command in WorkerCommands.All()) root.Subcommands.Add(command);
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (SqliteException e)
{
    // A read-only or full database is an operator's problem to fix, not a stack trace to read.
    Console.Error.WriteLine($"error: {SqliteErrors.Describe(e, DatabasePath(args))}");
    return 1;
}
catch (Npgsql.NpgsqlException e)
{
    // An unreachable server, a wrong password or a full disk: the server's own words, no stack trace.
    Console.Error.WriteLine($"error: PostgreSQL (AttributionExplorer:Storage:ConnectionString): {e.Message}");
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Unhandled exception: {e}");
    return 1;
}

static string DatabasePath(string[] args)
{
    int at = Array.IndexOf(args, "--config");
    try { return PathResolver.Resolve(WorkerSettings.Load(at >= 0 && at + 1 < args.Length ? args[at + 1] : null).DatabasePath); }
    catch (Exception) { return "(the configured database)"; }
}
