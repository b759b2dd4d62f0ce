using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// The optimised images [N, C, H, W] with values in 0..1 (before the model's normalisation), the
/// objective per image on those images as they are (no transformation), the batch objective seen at
/// each step (under that step's transformation), and the run time.
/// </summary>
public sealed record MaximizationResult(Tensor Images, double[] FinalValues, double[] History, TimeSpan Elapsed);
