using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using TorchSharp;

namespace AttributionExplorer.Precompute.Training;

public static class CheckpointFile
{
    /// <summary>Saves through a temporary file so an interrupted save never leaves a truncated checkpoint.</summary>
    public static void Save(TorchSharp.torch.nn.Module module, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        module.save(tmp);
        File.Move(tmp, path, overwrite: true);
    }

    public static DeepLabV3 Load(string path, ModelOptions options, int numClasses, TorchSharp.torch.Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} is missing", path);
        var model = DeepLabV3.Create(options, numClasses);
        model.load(path);
        if (device is not null && device.type != TorchSharp.DeviceType.CPU) model.to(device);
        model.eval();
        return model;
    }
}
