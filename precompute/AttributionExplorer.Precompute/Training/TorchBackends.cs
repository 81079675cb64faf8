using System.Runtime.InteropServices;
using TorchSharp;

namespace AttributionExplorer.Precompute.Training;

/// <summary>Switches off the two libtorch CPU backends that misbehave on the machines this project runs on. TorchSharp
/// 0.107 exposes neither switch, so this calls libtorch's own <c>at::globalContext().setUserEnabled…</c>.
/// <list type="bullet">
/// <item><b>NNPACK</b>: libtorch 2.10 asks <c>_nnpack_available()</c> before every convolution, and on a CPU NNPACK
/// does not know (AMD family 1Ah here) every ask retries <c>nnp_initialize</c> and logs "Could not initialize
/// NNPACK! Reason: Unsupported hardware" (28,000 lines per demo). NNPACK is never used after that, so turning it off
/// changes no result and removes the flood.</item>
/// <item><b>oneDNN (mkldnn) convolutions</b>: the sporadic non-finite convolution gradients came from here, and
/// they are not its only wrong results. The old two-thread reproduction (small DeepLabV3, low-variance inputs,
/// training mode) gave non-finite gradients in 32 of 40 seeded runs with oneDNN on (27 of 40 with NNPACK off as well)
/// and in 0 of 40 with oneDNN off. Single-threaded, oneDNN returned finite but wrong input gradients through a dilated
/// convolution for a batch of 4 odd-sized (9×9) maps — 11% relative error against float64, while batch 1 and the
/// non-oneDNN kernels agree with float64 to 1.5e-7 (tests: Trak/BatchedGradientComputerTests, Native/TorchBackendsTests).
/// So oneDNN is off for every thread count; libtorch's own im2col + GEMM convolutions cost 37–60% more CPU in a
/// batched backward at demo size.</item>
/// </list></summary>
public static class TorchBackends
{
    private const string LibTorch = "libtorch_cpu";

    [DllImport(LibTorch, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    private const int MTrimThreshold = -1, MTopPad = -2, MMmapThreshold = -3;

    /// <summary>glibc serves every block over 128 KiB with a fresh mmap and returns it on free, so each large tensor
    /// libtorch allocates page-faults all its memory again (a 13 MB clone took 6 ms, 0.8 ms with these settings). Blocks up
    /// to glibc's maximum threshold (32 MiB) now come from the heap, which keeps up to 1 GiB of freed memory.</summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MMmapThreshold, 32 << 20) == 1 & Mallopt(MTrimThreshold, 1 << 30) == 1 & Mallopt(MTopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>NNPACK and oneDNN off (and freed memory kept, see <see cref="KeepFreedMemory"/>). False when this
    /// libtorch lacks the switches (another build): then they are unchanged.</summary>
    public static bool Configure()
    {
        _ = torch.get_num_threads(); // loads libtorch before the first P/Invoke into it
        KeepFreedMemory();
        try
        {
            var context = GlobalContext();
            SetUserEnabledNnpack(context, false);
            SetUserEnabledMkldnn(context, false);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    public static (bool Nnpack, bool Mkldnn) State()
    {
        _ = torch.get_num_threads();
        var context = GlobalContext();
        return (UserEnabledNnpack(context), UserEnabledMkldnn(context));
    }
}
