using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Training;

/// <summary>Where training, TRAK and evaluation tensors live: "cpu" (default) or "cuda" / "cuda:N". The NuGet build
/// ships CPU libtorch only; CUDA needs a LibTorchSharp built against a CUDA libtorch (see README, "GPU").</summary>
public static class ComputeDevice
{
    public static Device Resolve(string? name)
    {
        string value = string.IsNullOrWhiteSpace(name) ? "cpu" : name.Trim().ToLowerInvariant();
        if (value == "cpu") return torch.CPU;
        if (!value.StartsWith("cuda"))
            throw new ArgumentException($"Device '{name}' (AttributionExplorer:Device in appsettings.json, or --device): expected \"cpu\", \"cuda\" or \"cuda:N\"");
        const string help = "CUDA is not available to TorchSharp (the NuGet libtorch is CPU-only; see README, GPU)";
        try { torch.InitializeDeviceType(DeviceType.CUDA); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Device '{name}': {help}: {e.Message}", e);
        }
        if (!torch.cuda.is_available()) throw new InvalidOperationException($"Device '{name}': {help}");
        return torch.device(value);
    }

    /// <summary>The device of a module's first parameter (CPU for a module without parameters).</summary>
    public static Device Of(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? torch.CPU;
}
