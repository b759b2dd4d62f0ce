using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// The L2 norm of a layer's whole activation per image, ‖A‖₂ (DeepDream's objective): whatever the
/// layer already responds to in an image gets amplified.
/// </summary>
public sealed class LayerNormObjective(string layer) : MaximizationObjective
{
    public string Layer { get; } = layer;

    public override string ToString() => $"L2 norm of {Layer}";

    public override IEnumerable<string> Layers(Model model) => [Layer];

    public override void Check(Model model, IReadOnlyDictionary<string, Tensor> values) => LayerValue(model, values, Layer);

    public override double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight)
    {
        var activation = LayerValue(model, values, Layer);
        int batch = activation.Dim(0), perImage = activation.Length / batch;
        var seed = gradients.For(Layer, activation);
        var result = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            var a = activation.Data.AsSpan(n * perImage, perImage);
            double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(a, a));
            result[n] = weight * norm;
            if (norm > 0)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(a, (float)(weight / norm), seed.Data.AsSpan(n * perImage, perImage), seed.Data.AsSpan(n * perImage, perImage));
        }
        return result;
    }
}
