using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Diversity between the images of a batch (Olah et al. 2017; Lucid's <c>diversity</c>): each image's
/// style at a layer is its Gram matrix G = F·Fᵀ over channels (F = its [C, H·W] activations), and the
/// objective is minus the mean over images of the summed cosine similarity of its Gram matrix to every
/// other image's: −(1/N) Σᵢ Σ_{j≠i} ⟨Gᵢ/‖Gᵢ‖, Gⱼ/‖Gⱼ‖⟩. Added with a positive weight, it pushes the
/// batch towards different ways of exciting the same unit.
/// </summary>
public sealed class DiversityObjective(string layer) : MaximizationObjective
{
    private const double NormFloor = 1e-10;

    public string Layer { get; } = layer;

    public override string ToString() => $"diversity at {Layer}";

    public override IEnumerable<string> Layers(Model model) => [Layer];

    public override void Check(Model model, IReadOnlyDictionary<string, Tensor> values)
    {
        var activation = LayerValue(model, values, Layer);
        if (activation.Rank != 4) throw new ShapeMismatchException($"layer '{Layer}' is {activation}; diversity needs a feature map [N,C,H,W]");
    }

    public override double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight)
    {
        var activation = LayerValue(model, values, Layer);
        Check(model, values);
        int batch = activation.Dim(0), channels = activation.Dim(1), positions = activation.Dim(2) * activation.Dim(3);
        int perImage = channels * positions, gramSize = channels * channels;
        var result = new double[batch];
        if (batch < 2) return result;

        var grams = new float[batch][];
        var norms = new double[batch];
        for (int n = 0; n < batch; n++)
        {
            grams[n] = new float[gramSize];
            var features = activation.Data.AsSpan(n * perImage, perImage);
            Gemm.Multiply(false, true, channels, channels, positions, 1f, features, positions, features, positions, 0f, grams[n], channels);
            norms[n] = Math.Max(Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(grams[n], grams[n])), NormFloor);
        }
        var cosine = new double[batch, batch];
        for (int i = 0; i < batch; i++)
            for (int j = i + 1; j < batch; j++)
                cosine[i, j] = cosine[j, i] = System.Numerics.Tensors.TensorPrimitives.Dot<float>(grams[i], grams[j]) / (norms[i] * norms[j]);

        var seed = gradients.For(Layer, activation);
        var direction = new float[gramSize];
        var symmetric = new float[gramSize];
        for (int i = 0; i < batch; i++)
        {
            double similarity = 0;
            for (int j = 0; j < batch; j++) if (j != i) similarity += cosine[i, j];
            result[i] = -weight * similarity / batch;

            // d/dĝᵢ of the total = −(2/N) Σ_{j≠i} ĝⱼ (each pair counted from both sides); then through the normalisation and the Gram product.
            Array.Clear(direction);
            for (int j = 0; j < batch; j++)
                if (j != i)
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grams[j], (float)(-2 * weight / (batch * norms[j])), direction, direction);
            double along = System.Numerics.Tensors.TensorPrimitives.Dot<float>(grams[i], direction) / norms[i];
            for (int k = 0; k < gramSize; k++)
                direction[k] = (float)((direction[k] - grams[i][k] / norms[i] * along) / norms[i]);
            for (int r = 0; r < channels; r++)
                for (int c = 0; c < channels; c++) symmetric[r * channels + c] = direction[r * channels + c] + direction[c * channels + r];
            var features = activation.Data.AsSpan(i * perImage, perImage);
            Gemm.Multiply(false, false, channels, positions, channels, 1f, symmetric, channels, features, positions, 1f, seed.Data.AsSpan(i * perImage, perImage), positions);
        }
        return result;
    }
}
