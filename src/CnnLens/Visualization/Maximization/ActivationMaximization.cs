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
        // Every buffer of a step is made once: the loop allocates nothing outside the network's passes.
        var raw = new Tensor(shape);      // the unbounded image, later its gradient
        var image = new Tensor(shape);    // the 0..1 image
        var seen = new Tensor(shape);     // transformed and normalised: the model's input
        var ascent = new Tensor(shape);   // gradient at the 0..1 image
        var parameterAscent = new float[parameters.Length];
        var grids = Enumerable.Range(0, batch).Select(_ => new SamplingGrid()).ToArray();
        for (int step = 0; step < Options.Steps; step++)
        {
            Cancellation.ThrowIfCancellationRequested();
            Render(fourier, parameters, decorrelate, raw, image);

            for (int n = 0; n < batch; n++) grids[n].Fill(Options.Transforms.Draw(height, width, Options.Seed, step, n), height, width, height, width);
            Show(grids, image, normalization, seen);
            var (values, inputGradient) = ObjectiveGradient.Compute(model, seen, objective);
            history[step] = values.Sum();

            ShowBackward(grids, inputGradient, normalization, ascent);
            if (Options.L2Weight > 0) history[step] -= ImagePenalties.L2(image, Options.L2Weight, ascent).Sum();
            if (Options.TotalVariationWeight > 0) history[step] -= ImagePenalties.TotalVariation(image, Options.TotalVariationWeight, ascent).Sum();

            BackwardRender(fourier, image, ascent, decorrelate, raw, parameterAscent);
            // Adam minimises: the loss is minus the objective.
            System.Numerics.Tensors.TensorPrimitives.Negate(parameterAscent, parameterAscent);
            adam.Step(parameters, parameterAscent);
            Progress?.Report(new AttributionProgress("maximize", step + 1, Options.Steps));
        }

        var final = Render(fourier, parameters, decorrelate);
        var finalValues = ObjectiveGradient.Check(model, normalization.Forward(final), objective);
        return new MaximizationResult(final, finalValues, history, clock.Elapsed);
    }

    /// <summary>What the model sees: each image resampled by its grid, then normalised.</summary>
    public static void Show(SamplingGrid[] grids, Tensor image, InputNormalization normalization, Tensor seen)
    {
        int channels = image.Dim(1), size = channels * image.Dim(2) * image.Dim(3);
        for (int n = 0; n < image.Dim(0); n++) grids[n].Gather(image.Data, n * size, seen.Data, n * size, channels, normalization);
    }

    /// <summary>The transpose of <see cref="Show"/>: the model-input gradient to the gradient at the 0..1 image, written into <paramref name="imageGradient"/>.</summary>
    public static void ShowBackward(SamplingGrid[] grids, Tensor inputGradient, InputNormalization normalization, Tensor imageGradient)
    {
        int channels = imageGradient.Dim(1), size = channels * imageGradient.Dim(2) * imageGradient.Dim(3);
        Array.Clear(imageGradient.Data);
        for (int n = 0; n < imageGradient.Dim(0); n++) grids[n].Scatter(inputGradient.Data, n * size, imageGradient.Data, n * size, channels, normalization);
    }

    /// <summary>Parameters to the 0..1 image: inverse DFT, colour mixing, sigmoid.</summary>
    public static Tensor Render(FourierParameterization fourier, float[] parameters, bool decorrelate)
    {
        var image = new Tensor(parameters.Length / fourier.LengthPerImage, fourier.Channels, fourier.Height, fourier.Width);
        Render(fourier, parameters, decorrelate, new Tensor(image.ShapeArray), image);
        return image;
    }

    /// <summary><see cref="Render(FourierParameterization, float[], bool)"/> into <paramref name="image"/>, with <paramref name="raw"/> as scratch for the unbounded image.</summary>
    public static void Render(FourierParameterization fourier, float[] parameters, bool decorrelate, Tensor raw, Tensor image)
    {
        fourier.Forward(parameters, raw);
        if (decorrelate) ColorDecorrelation.Forward(raw, image, sigmoid: true);
        else System.Numerics.Tensors.TensorPrimitives.Sigmoid(raw.Data, image.Data);
    }

    /// <summary>The transpose of <see cref="Render(FourierParameterization, float[], bool)"/> at the rendered (0..1) <paramref name="image"/>.</summary>
    public static float[] BackwardRender(FourierParameterization fourier, Tensor image, Tensor imageGradient, bool decorrelate)
    {
        var gradient = new float[image.Dim(0) * fourier.LengthPerImage];
        BackwardRender(fourier, image, imageGradient, decorrelate, new Tensor(image.ShapeArray), gradient);
        return gradient;
    }

    /// <summary>
    /// <see cref="BackwardRender(FourierParameterization, Tensor, Tensor, bool)"/> into <paramref name="parameterGradient"/>,
    /// with <paramref name="scratch"/> (the image's shape) for the gradient at the unbounded image.
    /// </summary>
    public static void BackwardRender(FourierParameterization fourier, Tensor image, Tensor imageGradient, bool decorrelate, Tensor scratch, float[] parameterGradient)
    {
        if (decorrelate) ColorDecorrelation.BackwardThroughSigmoid(image, imageGradient, scratch);
        else
        {
            var s = image.Data;
            var g = imageGradient.Data;
            var target = scratch.Data;
            for (int i = 0; i < target.Length; i++) target[i] = g[i] * s[i] * (1 - s[i]);
        }
        fourier.Backward(scratch, parameterGradient);
    }
}
