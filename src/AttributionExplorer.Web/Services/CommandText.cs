namespace AttributionExplorer.Web.Services;

/// <summary>Commands as the registry publishes them name the dataset "NAME"; the app shows them for the dataset at hand.</summary>
public static class CommandText
{
    public static string ForDataset(string command, string? datasetName) =>
        datasetName is null ? command : command.Replace("--dataset NAME", $"--dataset {datasetName}");
}
