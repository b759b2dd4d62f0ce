using System.Diagnostics;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// Base of every method: resolves targets (default: each image's top-1 class), times the work and
/// wraps the result. A method implements <see cref="Compute"/> only.
/// </summary>
public abstract class AttributionMethod
{
    /// <summary>The contract name used by the CLI and in reports.</summary>
    public abstract string Name { get; }

    /// <summary>Receives progress of long runs (perturbation methods report after every batch); null: none.</summary>
    public IProgress<AttributionProgress>? Progress { get; set; }

    /// <summary>Stops a long run between batches with <see cref="OperationCanceledException"/>; nothing is returned or written.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Explains <paramref name="targets"/> (one class per image; null: each image's top-1) for a batch [N,...].</summary>
    public Attribution Attribute(Model model, Tensor input, int[]? targets = null)
    {
        long start = Stopwatch.GetTimestamp();
        Targets.CheckCount(input, targets);
        var result = Compute(model, input, targets);
        return result with { Elapsed = Stopwatch.GetElapsedTime(start) };
    }

    /// <summary>Explains a single class for every image of the batch.</summary>
    public Attribution Attribute(Model model, Tensor input, int target) =>
        Attribute(model, input, Enumerable.Repeat(target, input.Dim(0)).ToArray());

    /// <summary>Does the work; <paramref name="targets"/> is null for "top-1 of each image" (resolve with <see cref="Targets.Resolve"/>).</summary>
    protected abstract Attribution Compute(Model model, Tensor input, int[]? targets);

    /// <summary>The options as they would be written on the command line, for reports.</summary>
    protected virtual IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>();

    protected Attribution Result(Tensor values, int[] targets, string? layer = null, double[]? delta = null) => new()
    {
        Values = values,
        Method = Name,
        Targets = targets,
        Layer = layer,
        Options = DescribeOptions(),
        ConvergenceDelta = delta,
    };
}
