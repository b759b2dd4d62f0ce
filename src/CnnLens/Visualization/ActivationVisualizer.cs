using System.Globalization;
using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>
/// Feature maps of any layers for an image: one forward pass keeping the layers, then per layer a
/// grid of channel maps (numbered, optionally only the top k by mean or maximum activation) and
/// overlays of the first channels on the photo at input resolution.
/// </summary>
public static class ActivationVisualizer
{
    /// <param name="photo">The image as the model saw it (prepared), for overlays; null draws none.</param>
    public static IReadOnlyList<ActivationVisualization> Visualize(
        Model model, Tensor input, IReadOnlyList<string> layers, ActivationVisualizerOptions? options = null, Image? photo = null)
    {
        options ??= new ActivationVisualizerOptions();
        options.Validate();
        if (layers.Count == 0) throw new InvalidOptionException("name at least one layer to draw");
        foreach (var layer in layers)
            if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);
        if (options.ImageIndex < 0 || options.ImageIndex >= input.Dim(0))
            throw new InvalidOptionException($"image index {options.ImageIndex} is outside the batch of {input.Dim(0)}");
        var forward = model.Forward(input, layers);
        return layers.Select(layer => Draw(layer, forward[layer], options, photo)).ToArray();
    }

    /// <summary>Draws one layer's activation [N,C,H,W] (image <see cref="ActivationVisualizerOptions.ImageIndex"/>).</summary>
    public static ActivationVisualization Draw(string layer, Tensor activation, ActivationVisualizerOptions options, Image? photo = null)
    {
        if (activation.Rank != 4)
            throw new InvalidOptionException($"layer '{layer}' is {activation}; feature maps need a layer shaped [N,C,H,W] (pick a Conv, Relu or pool output)");
        int channels = activation.Dim(1), height = activation.Dim(2), width = activation.Dim(3), plane = height * width;
        var maps = new Tensor([channels, height, width], activation.Data.AsSpan(options.ImageIndex * channels * plane, channels * plane).ToArray());

        var means = new float[channels];
        var maxima = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            var values = maps.Data.AsSpan(c * plane, plane);
            double sum = 0;
            float max = float.NegativeInfinity;
            foreach (float v in values) { sum += v; max = Math.Max(max, v); }
            means[c] = (float)(sum / plane);
            maxima[c] = max;
        }
        var order = Enumerable.Range(0, channels);
        if (options.Ranking != ChannelRanking.Index)
        {
            var score = options.Ranking == ChannelRanking.Mean ? means : maxima;
            order = order.OrderByDescending(c => score[c]).ThenBy(c => c);
        }
        int[] shown = order.Take(options.Top ?? options.MaxChannels).ToArray();

        var selected = new Tensor(shown.Length, height, width);
        for (int k = 0; k < shown.Length; k++)
            maps.Data.AsSpan(shown[k] * plane, plane).CopyTo(selected.Data.AsSpan(k * plane, plane));
        // Per-tensor normalisation keeps its meaning over the shown channels only.
        var cells = TensorImage.ChannelImages(selected, options.Colormap, options.Normalization);
        int factor = Math.Max(1, (int)Math.Ceiling(options.MinimumCellSize / (double)Math.Max(height, width)));
        var gridOptions = new GridOptions { CellWidth = width * factor, CellHeight = height * factor, Resize = ResizeFilter.Nearest };
        var labels = options.Labels ? shown.Select(c => (string?)c.ToString(CultureInfo.InvariantCulture)).ToArray() : null;
        var (grid, layout) = LabelledGrid.Compose(cells, labels, gridOptions);

        var overlays = new List<Image>();
        if (photo is not null)
            for (int k = 0; k < Math.Min(options.Overlays, shown.Length); k++)
                overlays.Add(Overlay.Render(photo, new Tensor([height, width], selected.Data.AsSpan(k * plane, plane).ToArray()),
                    new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum, Colormap = options.OverlayColormap }));

        return new ActivationVisualization
        {
            Layer = layer,
            Activation = maps,
            Channels = shown,
            Means = shown.Select(c => means[c]).ToArray(),
            Maxima = shown.Select(c => maxima[c]).ToArray(),
            Grid = grid,
            Layout = layout,
            PixelsPerValue = factor,
            Overlays = overlays,
        };
    }
}
