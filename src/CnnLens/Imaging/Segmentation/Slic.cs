using CnnLens.Tensors;

namespace CnnLens.Imaging.Segmentation;

/// <summary>Options of <see cref="Slic"/> (CLI: <c>--features slic:SEGMENTS[,COMPACTNESS]</c>).</summary>
public sealed record SlicOptions
{
    /// <summary>Wanted number of superpixels; the result has about this many (the grid is rounded, orphans are merged).</summary>
    public int Segments { get; init; } = 50;

    /// <summary>
    /// Weight of spatial against colour distance (Achanta's m). Colour is measured with the image's
    /// values stretched to 0..100, the span of CIELAB lightness, so 10 means what it does in scikit-image's slic.
    /// </summary>
    public double Compactness { get; init; } = 10;

    /// <summary>k-means iterations (Achanta et al. report that 10 suffice).</summary>
    public int Iterations { get; init; } = 10;
}

/// <summary>
/// SLIC superpixels (Achanta et al. 2012, "SLIC Superpixels Compared to State-of-the-Art Superpixel
/// Methods"): k-means on (channels, y, x) with each centre searching only a 2S x 2S window, S the grid
/// step, distance D² = d_colour² + (d_xy / S)² · m². It works on the image's own channels (a model input
/// is normalised, so CIELAB cannot be recovered in general), stretched to 0..100 over the whole image.
/// Connectivity is enforced afterwards: a connected piece smaller than S²/4 pixels joins the segment
/// next to it. Deterministic; labels are 0..K-1 in raster order of first appearance, every segment connected.
/// </summary>
public static class Slic
{
    /// <summary>Labels [H·W] (row-major) of an image [C,H,W] and their count.</summary>
    public static (int[] Labels, int Count) Segment(Tensor image, SlicOptions? options = null)
    {
        options ??= new SlicOptions();
        Validate(options);
        if (image.Rank != 3) throw new ShapeMismatchException($"SLIC segments one image [C,H,W], not {image}");
        int channels = image.Dim(0), height = image.Dim(1), width = image.Dim(2), plane = height * width;
        var colour = Stretched(image.Data, channels * plane);
        int segments = Math.Min(options.Segments, plane);
        double step = Math.Sqrt((double)plane / segments);
        int rows = Math.Clamp((int)Math.Round(height / step), 1, height), columns = Math.Clamp((int)Math.Round(width / step), 1, width);
        int k = rows * columns, stride = channels + 2; // a centre: channels, then y, x
        var centres = new double[k * stride];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                // Seeds sit at the centres of equal cells (between pixels when a cell is even-sized)...
                double gridY = (r + 0.5) * height / rows - 0.5, gridX = (c + 0.5) * width / columns - 0.5;
                int seedY = (int)Math.Round(gridY), seedX = (int)Math.Round(gridX);
                var (y, x) = LowestGradient(colour, channels, height, width, seedY, seedX);
                int at = (r * columns + c) * stride;
                for (int ch = 0; ch < channels; ch++) centres[at + ch] = colour[ch * plane + y * width + x];
                // ...unless a flatter pixel next to the seed is found, so that no seed starts on an edge.
                centres[at + channels] = (y, x) == (seedY, seedX) ? gridY : y;
                centres[at + channels + 1] = (y, x) == (seedY, seedX) ? gridX : x;
            }

        var assignment = new int[plane];
        var distance = new double[plane];
        double spatial = options.Compactness * options.Compactness / (step * step);
        int window = (int)Math.Ceiling(step);
        var sums = new double[k * stride];
        var counts = new int[k];
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            Array.Fill(distance, double.PositiveInfinity);
            for (int centre = 0; centre < k; centre++)
            {
                int at = centre * stride;
                double cy = centres[at + channels], cx = centres[at + channels + 1];
                int y0 = Math.Max(0, (int)(cy - window)), y1 = Math.Min(height - 1, (int)(cy + window));
                int x0 = Math.Max(0, (int)(cx - window)), x1 = Math.Min(width - 1, (int)(cx + window));
                for (int y = y0; y <= y1; y++)
                    for (int x = x0; x <= x1; x++)
                    {
                        int p = y * width + x;
                        double d = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) * spatial;
                        for (int ch = 0; ch < channels; ch++)
                        {
                            double diff = colour[ch * plane + p] - centres[at + ch];
                            d += diff * diff;
                        }
                        // Ties go to the lower centre index, which keeps the result independent of anything but the image.
                        if (d < distance[p])
                        {
                            distance[p] = d;
                            assignment[p] = centre;
                        }
                    }
            }
            Array.Clear(sums);
            Array.Clear(counts);
            for (int p = 0; p < plane; p++)
            {
                int at = assignment[p] * stride;
                for (int ch = 0; ch < channels; ch++) sums[at + ch] += colour[ch * plane + p];
                sums[at + channels] += p / width;
                sums[at + channels + 1] += p % width;
                counts[assignment[p]]++;
            }
            for (int centre = 0; centre < k; centre++)
                if (counts[centre] > 0) // an emptied centre stays where it was
                    for (int j = 0; j < stride; j++) centres[centre * stride + j] = sums[centre * stride + j] / counts[centre];
        }
        return EnforceConnectivity(assignment, height, width, Math.Max(1, (int)(step * step / 4)));
    }

    private static void Validate(SlicOptions options)
    {
        if (options.Segments < 1) throw new InvalidOptionException($"SLIC needs at least 1 segment, not {options.Segments}");
        if (!(options.Compactness > 0) || double.IsInfinity(options.Compactness))
            throw new InvalidOptionException($"SLIC compactness must be a positive number, not {options.Compactness}");
        if (options.Iterations < 1) throw new InvalidOptionException($"SLIC needs at least 1 iteration, not {options.Iterations}");
    }

    /// <summary>All channels stretched together to 0..100 (a flat image stays 0).</summary>
    private static double[] Stretched(float[] data, int length)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = 0; i < length; i++)
        {
            if (!float.IsFinite(data[i])) throw new DataFormatException($"SLIC: image value {data[i]} at index {i} is not finite");
            min = Math.Min(min, data[i]);
            max = Math.Max(max, data[i]);
        }
        double scale = max > min ? 100.0 / (max - min) : 0;
        var result = new double[length];
        for (int i = 0; i < length; i++) result[i] = (data[i] - min) * scale;
        return result;
    }

    /// <summary>Achanta's seed move: the lowest colour-gradient position in the 3x3 neighbourhood, so no seed sits on an edge.</summary>
    private static (int Y, int X) LowestGradient(double[] colour, int channels, int height, int width, int y, int x)
    {
        (int, int) best = (y, x);
        double lowest = Gradient(colour, channels, height, width, y, x); // the seed stays put unless a neighbour is strictly flatter
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                double g = Gradient(colour, channels, height, width, y + dy, x + dx);
                if (g < lowest)
                {
                    lowest = g;
                    best = (y + dy, x + dx);
                }
            }
        return best;
    }

    /// <summary>Squared central-difference gradient over all channels; infinite on the border, where it is undefined.</summary>
    private static double Gradient(double[] colour, int channels, int height, int width, int y, int x)
    {
        if (y < 1 || x < 1 || y >= height - 1 || x >= width - 1) return double.PositiveInfinity;
        int plane = height * width;
        double g = 0;
        for (int ch = 0; ch < channels; ch++)
        {
            var c = colour.AsSpan(ch * plane, plane);
            double gx = c[y * width + x + 1] - c[y * width + x - 1], gy = c[(y + 1) * width + x] - c[(y - 1) * width + x];
            g += gx * gx + gy * gy;
        }
        return g;
    }

    /// <summary>
    /// Relabels 4-connected pieces in raster order; a piece smaller than <paramref name="minimum"/> joins
    /// the piece met just before its first pixel (left or above), so every final segment is connected.
    /// </summary>
    private static (int[] Labels, int Count) EnforceConnectivity(int[] assignment, int height, int width, int minimum)
    {
        int plane = height * width;
        var labels = new int[plane];
        Array.Fill(labels, -1);
        var piece = new List<int>();
        var stack = new Stack<int>();
        int count = 0;
        for (int start = 0; start < plane; start++)
        {
            if (labels[start] >= 0) continue;
            int y0 = start / width, x0 = start % width;
            int adjacent = x0 > 0 ? labels[start - 1] : y0 > 0 ? labels[start - width] : -1;
            piece.Clear();
            labels[start] = count;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                piece.Add(p);
                int y = p / width, x = p % width;
                if (x > 0) Visit(p - 1);
                if (x < width - 1) Visit(p + 1);
                if (y > 0) Visit(p - width);
                if (y < height - 1) Visit(p + width);
            }
            if (piece.Count < minimum && adjacent >= 0)
                foreach (int p in piece) labels[p] = adjacent;
            else count++;

            void Visit(int q)
            {
                if (labels[q] < 0 && assignment[q] == assignment[start])
                {
                    labels[q] = count;
                    stack.Push(q);
                }
            }
        }
        return (labels, count);
    }
}
