using System.CommandLine;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Cli;

/// <summary>Options several commands share, with their validation, so every command says the same thing.</summary>
public static class CommonOptions
{
    public static Option<string> Model() => new("--model", "-m") { Description = "ONNX model file", Required = true };

    public static Option<string?> Input() => new("--input") { Description = "preprocessed input tensor (.npy, float32, [1,C,H,W] or [C,H,W])" };

    public static Option<int?> Threads() => new("--threads") { Description = "threads for the kernels (default: all cores)" };

    /// <summary>--low-memory: every weight held once (no Winograd filter copies), for the tightest memory bound.</summary>
    public static Option<bool> LowMemory() => new("--low-memory") { Description = "hold each weight once: 3x3 convolutions run as im2col instead of Winograd (slower, less memory)" };

    public static void ApplyLowMemory(bool lowMemory) => WinogradConvolution.Enabled = !lowMemory;

    /// <summary>--quiet / -q on every command: no progress bar and no informational lines, only results, files and errors.</summary>
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "no progress bar or informational lines (for scripts)" };

    public static Option<string?> Npy() => new("--npy") { Description = "write the result as a NumPy .npy file" };

    public static Model LoadModel(string path)
    {
        if (!File.Exists(path))
            throw new CnnLensException($"model file '{path}' does not exist; give the path of an .onnx file");
        return Graph.Model.Load(path);
    }

    public static void ApplyThreads(int? threads)
    {
        if (threads is { } t) Parallelism.MaxThreads = t;
    }

    /// <summary>Reads an input tensor and adds the batch dimension when the file has none.</summary>
    public static Tensor ReadInput(string path, Model model)
    {
        if (!File.Exists(path)) throw new CnnLensException($"input file '{path}' does not exist");
        var tensor = NpyFile.Read(path);
        int declaredRank = model.InputShape?.Length ?? 4;
        if (tensor.Rank == declaredRank - 1) tensor = tensor.Reshape([1, .. tensor.ShapeArray]);
        return tensor;
    }
}
