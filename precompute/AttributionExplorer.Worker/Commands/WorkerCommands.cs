using System.CommandLine;

namespace AttributionExplorer.Worker.Commands;

public static class WorkerCommands
{
    public static IEnumerable<Command> All() => [];
}
