using System.Diagnostics;
using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Activation maximisation (feature visualisation, Olah et al. 2017): finds images that drive an
/// objective (a channel, a neuron, a class, a mix, optionally with diversity) up by gradient ascent.
/// Each step: spectrum → inverse DFT with 1/f scaling → colour decorrelation → sigmoid (0..1 image)
/// → random shift/scale/rotation → the model's mean/std → forward and reverse pass → back through
/// every stage by its vector-Jacobian product → one Adam step. Seeded: same seed, same image.
/// </summary>
public sealed class ActivationMaximization(MaximizationOptions? options = null)
{
    public MaximizationOptions Options { get; } = options ?? new MaximizationOptions();

    /// <summary>Reports (step, steps) as the optimisation goes.</summary>
    public IProgress<AttributionProgress>? Progress { get; set; }

    /// <summary>Checked before each step: the run stops with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>The image shape [N, C, H, W] the run uses on <paramref name="model"/>.</summary>
    public int[] ImageShape(Model model)
    {
        int channels = ModelImageSize.Channels(model);
        if (ModelImageSize.Fixed(model) is not { } size) return [Options.Batch, channels, Options.Size ?? 224, Options.Size ?? 224];
        if (Options.Size is { } requested && (requested != size.Height || requested != size.Width))
            throw new InvalidOptionException($"the model takes {size.Height}x{size.Width} images only; size {requested} cannot run (leave the size unset)");
        return [Options.Batch, channels, size.Height, size.Width];
    }

    public MaximizationResult Run(Model model, MaximizationObjective objective)
    {
        Options.Validate();
        var clock = Stopwatch.StartNew();
        var shape = ImageShape(model);
        int batch = shape[0], channels = shape[1], height = shape[2], width = shape[3];
        var normalization = new InputNormalization(channels, Options.Mean, Options.Std);
        bool decorrelate = Options.DecorrelateColors && channels == 3;
        var fourier = new FourierParameterization(channels, height, width, Options.DecayPower);
        var parameters = fourier.Initial(batch, Options.Seed);
        ObjectiveGradient.Check(model, normalization.Forward(new Tensor(shape)), objective);

        var adam = new AdamOptimizer(parameters.Length, Options.LearningRate);
        var history = new double[Options.Steps];
        for (int step = 0; step < Options.Steps; step++)
        {
            Cancellation.ThrowIfCancellationRequested();
            var image = Render(fourier, parameters, decorrelate);

            var transforms = Enumerable.Range(0, batch).Select(n => Options.Transforms.Draw(height, width, Options.Seed, step, n)).ToArray();
            var seen = new Tensor(shape);
            for (int n = 0; n < batch; n++) transforms[n].Apply(image, seen, n);
            var (values, inputGradient) = ObjectiveGradient.Compute(model, normalization.Forward(seen), objective);
            history[step] = values.Sum();

            var seenGradient = normalization.Backward(inputGradient);
            var ascent = new Tensor(shape);
            for (int n = 0; n < batch; n++) transforms[n].Backward(seenGradient, ascent, n);
            if (Options.L2Weight > 0) history[step] -= ImagePenalties.L2(image, Options.L2Weight, ascent).Sum();
            if (Options.TotalVariationWeight > 0) history[step] -= ImagePenalties.TotalVariation(image, Options.TotalVariationWeight, ascent).Sum();

            var parameterAscent = BackwardRender(fourier, image, ascent, decorrelate);
            // Adam minimises: the loss is minus the objective.
            System.Numerics.Tensors.TensorPrimitives.Negate(parameterAscent, parameterAscent);
            adam.Step(parameters, parameterAscent);
            Progress?.Report(new AttributionProgress("maximize", step + 1, Options.Steps));
        }

        var final = Render(fourier, parameters, decorrelate);
        var finalValues = ObjectiveGradient.Check(model, normalization.Forward(final), objective);
        return new MaximizationResult(final, finalValues, history, clock.Elapsed);
    }

    /// <summary>Parameters to the 0..1 image: inverse DFT, colour mixing, sigmoid.</summary>
    public static Tensor Render(FourierParameterization fourier, float[] parameters, bool decorrelate)
    {
        var image = fourier.Forward(parameters);
        if (decorrelate) image = ColorDecorrelation.Forward(image);
        System.Numerics.Tensors.TensorPrimitives.Sigmoid(image.Data, image.Data);
        return image;
    }

    /// <summary>The transpose of <see cref="Render"/> at the rendered (0..1) <paramref name="image"/>.</summary>
    public static float[] BackwardRender(FourierParameterization fourier, Tensor image, Tensor imageGradient, bool decorrelate)
    {
        var gradient = new Tensor(image.ShapeArray);
        for (int i = 0; i < gradient.Length; i++)
        {
            float s = image.Data[i];
            gradient.Data[i] = imageGradient.Data[i] * s * (1 - s);
        }
        if (decorrelate) gradient = ColorDecorrelation.Backward(gradient);
        return fourier.Backward(gradient);
    }
}
