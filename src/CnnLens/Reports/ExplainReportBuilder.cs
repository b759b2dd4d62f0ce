using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Reports;

/// <summary>
/// Renders attribution results into an <see cref="ExplainReport"/>: for every image and method, the
/// heatmap, the overlay on the input and (for signed attributions shown in another view) the signed
/// heatmap, each normalised once at the input's size and read by a colour bar.
/// </summary>
public static class ExplainReportBuilder
{
    /// <summary>Length of the horizontal colour bars in pixels (the HTML stretches them to the figure width).</summary>
    public const int ColorBarLength = 256;

    /// <param name="inputs">The input image per batch entry, as the model saw it.</param>
    /// <param name="predictions">The top classes per batch entry.</param>
    /// <param name="attributions">One result per method, each covering the whole batch.</param>
    /// <param name="classNames">Class names by index, or null.</param>
    public static ExplainReport Build(
        string modelName,
        string preprocessing,
        IReadOnlyList<string> sources,
        IReadOnlyList<Image> inputs,
        IReadOnlyList<IReadOnlyList<ClassPrediction>> predictions,
        IReadOnlyList<Attribution.Attribution> attributions,
        IReadOnlyList<string>? classNames,
        ReportRenderOptions? options = null)
    {
        options ??= new ReportRenderOptions();
        options.Validate();
        if (sources.Count != inputs.Count || predictions.Count != inputs.Count)
            throw new ShapeMismatchException($"report needs one source and one prediction list per image; got {sources.Count} sources, {predictions.Count} prediction lists and {inputs.Count} images");
        var sections = new ImageSection[inputs.Count];
        for (int n = 0; n < inputs.Count; n++)
        {
            var panels = attributions.Select(a => RenderPanel(a, n, inputs[n], classNames, options)).ToArray();
            sections[n] = new ImageSection { Source = sources[n], Input = inputs[n], Predictions = predictions[n], Panels = panels };
        }
        return new ExplainReport { ModelName = modelName, Preprocessing = preprocessing, Images = sections };
    }

    /// <summary>The panel of <paramref name="attribution"/> for batch entry <paramref name="index"/>.</summary>
    public static ReportPanel RenderPanel(Attribution.Attribution attribution, int index, Image input, IReadOnlyList<string>? classNames, ReportRenderOptions options)
    {
        var values = attribution.Values;
        if (values.Rank is not (3 or 4) || index >= values.Dim(0))
            throw new ShapeMismatchException($"{attribution.Method} result {values} is not a batch of [C,H,W] attributions or [h,w] maps holding image {index}");
        // Input-space methods keep C; CAMs return one [h,w] map per image (non-negative after their ReLU);
        // spatial-mask methods (RISE) also return [h,w] maps, but theirs can go negative and keep the sign.
        bool signed = values.Rank == 4 || values.Data.AsSpan().IndexOfAnyInRange(float.NegativeInfinity, -float.Epsilon) >= 0;
        var single = Slice(values, index);

        // A CAM has no negative side, so "signed" would leave the lower half of its colour scale unused.
        var view = options.View is { } chosen && (signed || chosen != HeatmapView.Signed) ? chosen : signed ? HeatmapView.Signed : HeatmapView.Positive;
        var colormap = options.Colormap ?? DefaultColormap(signed, view);
        // Input-space attributions are sparse: tint only where they are strong, so the photo stays readable.
        // CAMs are smooth and cover the object: a constant tint, as pytorch-grad-cam's overlays.
        var overlayOptions = new OverlayOptions { Alpha = signed ? OverlayAlpha.ScaledByMagnitude : OverlayAlpha.Constant };
        if (options.Opacity is { } o) overlayOptions = overlayOptions with { ConstantOpacity = o, PeakOpacity = o };

        var map = Heatmap.Normalize(single, new HeatmapOptions { View = view, Width = input.Width, Height = input.Height });
        var bar = ColorBar.For(map, colormap, BarOptions);
        var figures = new List<ReportFigure>
        {
            new($"heatmap ({ReportFormat.View(view)})", Heatmap.Colorize(map, colormap), bar, colormap.Name),
            // The overlay uses the heatmap's colours and scale, so the heatmap's bar reads it too.
            new("overlay", Overlay.Blend(input, map, colormap, overlayOptions), null, colormap.Name),
        };
        if (signed && view != HeatmapView.Signed)
        {
            var signedColormap = options.Colormap is { IsDiverging: true } diverging ? diverging : Colormaps.BlueWhiteRed;
            var signedMap = Heatmap.Normalize(single, new HeatmapOptions { View = HeatmapView.Signed, Width = input.Width, Height = input.Height });
            figures.Add(new("signed", Heatmap.Colorize(signedMap, signedColormap), ColorBar.For(signedMap, signedColormap, BarOptions), signedColormap.Name));
        }

        int target = attribution.Targets[index];
        return new ReportPanel
        {
            Method = attribution.Method,
            TargetIndex = target,
            TargetName = attribution.Neuron is null && classNames is not null && (uint)target < (uint)classNames.Count ? classNames[target] : null,
            Neuron = attribution.Neuron?.ToString(),
            Layer = attribution.Layer,
            IsSigned = signed,
            Options = attribution.Options,
            Elapsed = attribution.Elapsed,
            ConvergenceDelta = attribution.ConvergenceDelta is { } d && index < d.Length ? d[index] : null,
            SurrogateRSquared = attribution.SurrogateRSquared is { } r2 && index < r2.Length ? r2[index] : null,
            View = view,
            Scale = map.Scale,
            Figures = figures,
        };
    }

    /// <summary>bwr for signed views (zero is white), inferno for magnitudes of input-space methods, jet for CAMs.</summary>
    public static Colormap DefaultColormap(bool signedAttribution, HeatmapView view) =>
        !signedAttribution ? Colormaps.Jet : view == HeatmapView.Signed ? Colormaps.BlueWhiteRed : Colormaps.Inferno;

    private static readonly ColorBarOptions BarOptions = new() { Orientation = ColorBarOrientation.Horizontal, Length = ColorBarLength, Thickness = 10 };

    /// <summary>Entry <paramref name="index"/> of a batch tensor, copied so the renderer sees a [C,H,W] or [h,w] tensor.</summary>
    private static Tensor Slice(Tensor batch, int index)
    {
        int[] shape = batch.ShapeArray[1..];
        int size = Tensor.CheckedLength(shape);
        return new Tensor(shape, batch.Data.AsSpan(index * size, size).ToArray());
    }
}
