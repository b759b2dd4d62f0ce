using System.Globalization;
using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>
/// Draws the weights of a convolution as an image grid: one RGB tile per filter for first-layer
/// filters over 3 colour channels, otherwise one grey tile per (filter, input channel), a row per
/// filter. Grey levels follow <see cref="FilterScaling"/>, shared by all filters or per filter.
/// </summary>
public static class FilterVisualizer
{
    public static FilterVisualization Visualize(Model model, FilterVisualizerOptions? options = null)
    {
        options ??= new FilterVisualizerOptions();
        options.Validate();
        var node = FindConvolution(model, options.Layer);
        string weightName = node.Inputs[1];
        var weights = model.Graph.Constants[model.Graph.SlotOf(weightName)]
            ?? throw new InvalidOptionException($"convolution '{node.Name}' computes its weights at run time ('{weightName}'); only stored weights can be drawn");
        if (weights.Rank != 4)
            throw new InvalidOptionException($"convolution '{node.Name}' has weights {weights}; only 2-D convolutions [filters, channels, kH, kW] can be drawn");

        int filters = weights.Dim(0), channels = weights.Dim(1), kh = weights.Dim(2), kw = weights.Dim(3);
        var normalized = Normalize(weights, options.Scaling, options.PerFilter);
        var norms = Norms(weights);
        var order = Enumerable.Range(0, filters).ToArray();
        if (options.SortByNorm) order = order.OrderByDescending(f => norms[f]).ThenBy(f => f).ToArray();
        var shown = order.Take(options.MaxFilters).ToArray();

        bool rgb = channels == 3 && node.Inputs[0] == model.InputName;
        int channelsShown = rgb ? 1 : Math.Min(channels, options.MaxInputChannels);
        int pixels = options.PixelsPerWeight ?? Math.Max(1, 32 / Math.Max(kh, kw));
        var tiles = new List<Image>();
        var labels = new List<string?>();
        foreach (int f in shown)
        {
            if (rgb)
            {
                tiles.Add(Tile(normalized.Data, f, channels, kh, kw, [0, 1, 2]));
                labels.Add(Label(f, options));
                continue;
            }
            for (int c = 0; c < channelsShown; c++)
            {
                tiles.Add(Tile(normalized.Data, f, channels, kh, kw, [c, c, c]));
                labels.Add(c == 0 ? Label(f, options) : null);
            }
        }
        var gridOptions = new GridOptions
        {
            CellWidth = kw * pixels,
            CellHeight = kh * pixels,
            Columns = channelsShown > 1 ? channelsShown : null,
            Padding = options.Labels ? LabelledGrid.LabelPadding : 2,
            Resize = ResizeFilter.Nearest,
        };
        var (grid, layout) = LabelledGrid.Compose(tiles, options.Labels ? labels : null, gridOptions);
        return new FilterVisualization
        {
            NodeName = node.Name,
            WeightName = weightName,
            OutputName = node.Outputs[0],
            Weights = weights,
            Normalized = normalized,
            Norms = norms,
            Filters = shown,
            IsRgb = rgb,
            InputChannelsShown = channelsShown,
            PixelsPerWeight = pixels,
            Grid = grid,
            Layout = layout,
        };
    }

    /// <summary>
    /// The Conv named <paramref name="layer"/> (node name, output tensor or weight name), or the
    /// first Conv for null. Other layers and unknown names are <see cref="InvalidOptionException"/>s naming the alternatives.
    /// </summary>
    public static GraphNode FindConvolution(Model model, string? layer)
    {
        var convolutions = model.Graph.Nodes.Where(n => n.OpType == "Conv" && n.Inputs.Count > 1).ToList();
        if (convolutions.Count == 0) throw new InvalidOptionException($"model '{model.Name}' has no Conv layer, so it has no filters to draw");
        if (layer is null) return convolutions[0];
        var match = convolutions.FirstOrDefault(n => n.Name == layer || n.Outputs[0] == layer || n.Inputs[1] == layer);
        if (match is not null) return match;
        var other = model.Graph.Nodes.FirstOrDefault(n => n.Name == layer || n.Outputs.Contains(layer));
        if (other is not null || model.Graph.HasTensor(layer))
        {
            string what = other is null ? "the model input or a constant" : $"a {other.OpType} layer";
            throw new InvalidOptionException(
                $"layer '{layer}' is {what}, not a convolution: only Conv layers have filters; convolutions: {string.Join(", ", convolutions.Take(8).Select(n => n.Outputs[0]))}{(convolutions.Count > 8 ? ", ..." : "")}");
        }
        throw LayerNames.NotFound(model, layer);
    }

    /// <summary>Grey levels in [0, 1] of every weight under <paramref name="scaling"/> (see <see cref="FilterScaling"/>).</summary>
    public static Tensor Normalize(Tensor weights, FilterScaling scaling, bool perFilter)
    {
        int filters = weights.Dim(0), size = weights.Length / filters;
        var result = new float[weights.Length];
        int scopes = perFilter ? filters : 1, scopeSize = perFilter ? size : weights.Length;
        for (int s = 0; s < scopes; s++)
        {
            var source = weights.Data.AsSpan(s * scopeSize, scopeSize);
            var target = result.AsSpan(s * scopeSize, scopeSize);
            if (scaling == FilterScaling.SymmetricMaxAbs)
            {
                float m = 0;
                foreach (float w in source) m = Math.Max(m, Math.Abs(w));
                for (int i = 0; i < source.Length; i++) target[i] = m > 0 ? 0.5f + 0.5f * source[i] / m : 0.5f;
            }
            else
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (float w in source) { min = Math.Min(min, w); max = Math.Max(max, w); }
                for (int i = 0; i < source.Length; i++) target[i] = max > min ? (source[i] - min) / (max - min) : 0.5f;
            }
        }
        return new Tensor(weights.ShapeArray, result);
    }

    private static float[] Norms(Tensor weights)
    {
        int filters = weights.Dim(0), size = weights.Length / filters;
        var norms = new float[filters];
        for (int f = 0; f < filters; f++)
        {
            double sum = 0;
            foreach (float w in weights.Data.AsSpan(f * size, size)) sum += (double)w * w;
            norms[f] = (float)Math.Sqrt(sum);
        }
        return norms;
    }

    /// <summary>A kh x kw RGB tile of filter <paramref name="filter"/> taking R, G, B from the given input channels.</summary>
    private static Image Tile(float[] normalized, int filter, int channels, int kh, int kw, int[] rgbChannels)
    {
        var tile = new Image(kw, kh, 3);
        int plane = kh * kw;
        for (int i = 0; i < plane; i++)
            for (int k = 0; k < 3; k++)
                tile.Pixels[i * 3 + k] = Resampling.ToByte(255f * normalized[(filter * channels + rgbChannels[k]) * plane + i]);
        return tile;
    }

    private static string? Label(int filter, FilterVisualizerOptions options) =>
        options.Labels ? filter.ToString(CultureInfo.InvariantCulture) : null;
}
