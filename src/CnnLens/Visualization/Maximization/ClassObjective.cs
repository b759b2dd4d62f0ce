using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>A class logit: the model's score for class <see cref="ClassIndex"/> before any final softmax.</summary>
public sealed class ClassObjective(int classIndex) : MaximizationObjective
{
    public int ClassIndex { get; } = classIndex;

    public override string ToString() => $"class {ClassIndex}";

    public override IEnumerable<string> Layers(Model model) => [model.LogitsName];

    public override void Check(Model model, IReadOnlyDictionary<string, Tensor> values)
    {
        var logits = values[model.LogitsName];
        if (logits.Rank != 2) throw new ShapeMismatchException($"model output '{model.LogitsName}' is {logits}; a class objective needs [N, classes]");
        if (ClassIndex < 0 || ClassIndex >= logits.Dim(1))
            throw new InvalidOptionException($"class {ClassIndex} is outside the model's {logits.Dim(1)} classes (0..{logits.Dim(1) - 1})");
    }

    public override double[] Evaluate(Model model, IReadOnlyDictionary<string, Tensor> values, GradientSeeds gradients, double weight)
    {
        var logits = values[model.LogitsName];
        Check(model, values);
        var seed = gradients.For(model.LogitsName, logits);
        int classes = logits.Dim(1);
        var result = new double[logits.Dim(0)];
        for (int n = 0; n < result.Length; n++)
        {
            seed.Data[n * classes + ClassIndex] += (float)weight;
            result[n] = weight * logits.Data[n * classes + ClassIndex];
        }
        return result;
    }
}
