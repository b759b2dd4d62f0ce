using System.Diagnostics;
using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// DeepDream (Mordvintsev et al. 2015): starting from a photo, gradient ascent on the L2 norm of a
/// layer's activations (or any objective) amplifies what the layer sees. Octaves run from a small copy
/// to full size; the detail added at one octave is resized into the next, so patterns form at several
/// scales. Each step jitters the image (seeded), divides the gradient by its mean magnitude (a step
/// size independent of the layer's scale) and keeps pixels in 0..1. A model that only takes one image
/// size sees each smaller octave upsampled to it (the gradient flows back through that resize).
/// </summary>
public sealed class DeepDream(DeepDreamOptions? options = null)
{
    private const double GradientFloor = 1e-8;

    public DeepDreamOptions Options { get; } = options ?? new DeepDreamOptions();

    public IProgress<AttributionProgress>? Progress { get; set; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Dreams on <paramref name="image"/> [N, C, H, W] with values in 0..1 (not normalised); returns the dreamed images, same shape.</summary>
    public MaximizationResult Run(Model model, Tensor image, MaximizationObjective objective)
    {
        Options.Validate();
        if (image.Rank != 4) throw new ShapeMismatchException($"DeepDream needs images [N,C,H,W], got {image}");
        var clock = Stopwatch.StartNew();
        int batch = image.Dim(0), channels = image.Dim(1), height = image.Dim(2), width = image.Dim(3);
        var normalization = new InputNormalization(channels, Options.Mean, Options.Std);
        // A model with a fixed input size sees every octave upsampled to that size; the gradient goes back through the resize.
        var fixedSize = ModelImageSize.Fixed(model);
        if (fixedSize is { } f && (f.Height != height || f.Width != width))
            throw new InvalidOptionException($"the model takes {f.Height}x{f.Width} images; resize the photo to that size first (it is {height}x{width})");
        ObjectiveGradient.Check(model, normalization.Forward(image), objective);

        var sizes = Enumerable.Range(0, Options.Octaves)
            .Select(o => Math.Pow(Options.OctaveScale, Options.Octaves - 1 - o))
            .Select(f => (Height: Math.Max(8, (int)Math.Round(height / f)), Width: Math.Max(8, (int)Math.Round(width / f))))
            .ToArray();
        var history = new List<double>();
        long total = (long)Options.Steps * Options.Octaves;
        Tensor? detail = null, current = null;
        foreach (var (h, w) in sizes)
        {
            var baseImage = h == height && w == width ? image.Clone() : ImageTransform.Resize(height, width, h, w).ApplyAll(image, h, w);
            current = baseImage.Clone();
            if (detail is not null)
            {
                var resized = ImageTransform.Resize(detail.Dim(2), detail.Dim(3), h, w).ApplyAll(detail, h, w);
                System.Numerics.Tensors.TensorPrimitives.Add(current.Data, resized.Data, current.Data);
                Clamp(current);
            }
            for (int step = 0; step < Options.Steps; step++)
            {
                Cancellation.ThrowIfCancellationRequested();
                int globalStep = history.Count;
                var upsample = fixedSize is null || (h == height && w == width) ? null : ImageTransform.Resize(h, w, height, width);
                var viewed = upsample?.ApplyAll(current, height, width) ?? current;
                int viewHeight = viewed.Dim(2), viewWidth = viewed.Dim(3);
                var transforms = Enumerable.Range(0, batch).Select(n => Options.Transforms.Draw(viewHeight, viewWidth, Options.Seed, globalStep, n)).ToArray();
                var seen = new Tensor(viewed.ShapeArray);
                for (int n = 0; n < batch; n++) transforms[n].Apply(viewed, seen, n);
                var (values, inputGradient) = ObjectiveGradient.Compute(model, normalization.Forward(seen), objective);
                history.Add(values.Sum());
                var seenGradient = normalization.Backward(inputGradient);
                var viewedAscent = new Tensor(viewed.ShapeArray);
                for (int n = 0; n < batch; n++) transforms[n].Backward(seenGradient, viewedAscent, n);
                var ascent = viewedAscent;
                if (upsample is not null)
                {
                    ascent = new Tensor(current.ShapeArray);
                    for (int n = 0; n < batch; n++) upsample.Backward(viewedAscent, ascent, n);
                }
                int perImage = ascent.Length / batch;
                for (int n = 0; n < batch; n++)
                {
                    var g = ascent.Data.AsSpan(n * perImage, perImage);
                    double meanMagnitude = System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<float>(g) / perImage;
                    float scale = (float)(Options.StepSize / (meanMagnitude + GradientFloor));
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, scale, current.Data.AsSpan(n * perImage, perImage), current.Data.AsSpan(n * perImage, perImage));
                }
                Clamp(current);
                Progress?.Report(new AttributionProgress("deep-dream", history.Count, total));
            }
            detail = current.Clone();
            System.Numerics.Tensors.TensorPrimitives.Subtract(detail.Data, baseImage.Data, detail.Data);
        }
        var finalValues = ObjectiveGradient.Check(model, normalization.Forward(current!), objective);
        return new MaximizationResult(current!, finalValues, history.ToArray(), clock.Elapsed);
    }

    private static void Clamp(Tensor image) => System.Numerics.Tensors.TensorPrimitives.Clamp(image.Data, 0f, 1f, image.Data);
}
