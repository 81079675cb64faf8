using System.CommandLine;
using AttributionExplorer.Worker.Commands;

var root = new RootCommand("AttributionExplorer precompute worker: import data, train models, compute TRAK scores into SQLite.");
foreach (var command in WorkerCommands.All()) root.Subcommands.Add(command);
return root.Parse(args).Invoke();
