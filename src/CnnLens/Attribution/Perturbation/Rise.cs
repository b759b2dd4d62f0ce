using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution.Perturbation;

/// <summary>Options of <see cref="Rise"/> (CLI: --samples, --mask-grid, --mask-probability, --baseline, --seed, --batch-size).</summary>
public sealed record RiseOptions
{
    /// <summary>Random masks N (the paper uses 4000 for ResNet-50 on ImageNet).</summary>
    public int Samples { get; init; } = 4000;

    /// <summary>Cells s of the small binary grid along each side (the paper's s = 7).</summary>
    public int GridSize { get; init; } = 7;

    /// <summary>Probability p that a grid cell keeps the image (the paper's 0.5).</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>What masked-out pixels become (zero: the paper's I ⊙ M).</summary>
    public Baseline Baseline { get; init; } = Baseline.Zero;

    public long Seed { get; init; }

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// rise (Petsiuk et al. 2018, "RISE: Randomized Input Sampling for Explanation of Black-box Models"):
/// N random binary s x s grids (each cell 1 with probability p) are upsampled bilinearly to
/// (s+1)·cell pixels, cell = ⌈size/s⌉, and cropped at a random shift in [0, cell) per axis, giving soft
/// masks Mᵢ. The model scores xᵢ = baseline + Mᵢ ⊙ (x − baseline) and the saliency is
/// S = Σᵢ scoreᵢ · Mᵢ / (N · p), a map [N,H,W] per image. Mask i comes from the seeded stream (seed, i)
/// and is the same for every image of the batch; the sum runs in mask order per pixel, so numbers do
/// not depend on batch size or thread count.
/// </summary>
public sealed class Rise(RiseOptions? options = null) : AttributionMethod
{
    public RiseOptions Options { get; } = Validate(options ?? new RiseOptions());

    public override string Name => "rise";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() => new Dictionary<string, string>
    {
        ["samples"] = Options.Samples.ToString(),
        ["mask-grid"] = Options.GridSize.ToString(),
        ["mask-probability"] = Options.Probability.ToString("G"),
        ["baseline"] = Options.Baseline.Name,
        ["seed"] = Options.Seed.ToString(),
        ["batch-size"] = Options.BatchSize.ToString(),
    };

    /// <summary>Mask <paramref name="index"/> for an image of <paramref name="height"/> x <paramref name="width"/>, row-major values in [0, 1].</summary>
    public float[] Mask(int index, int height, int width)
    {
        var masks = new MaskSet(Options, height, width, 1, first: index);
        var result = new float[height * width];
        for (int y = 0; y < height; y++) masks.Row(index, y, result.AsSpan(y * width, width));
        return result;
    }

    protected override Attribution Compute(Model model, Tensor input, int[]? targets)
    {
        if (input.Rank != 4) throw new ShapeMismatchException($"rise masks images [N,C,H,W], not {input}");
        int batch = input.Dim(0), channels = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int perImage = channels * height * width, plane = height * width;
        int[] imageShape = input.ShapeArray[1..];
        PerturbedScores.CheckBatch(imageShape, Options.BatchSize);
        SampleBudget.Check(Name, Options.Samples, (long)Options.GridSize * Options.GridSize + 8, "masks");
        var resolved = Targets.Resolve(model.Predict(input), targets);
        var baseline = Options.Baseline.For(input);
        var masks = new MaskSet(Options, height, width, Options.Samples);
        var values = new Tensor(batch, height, width);
        for (int n = 0; n < batch; n++)
        {
            var image = input.Data.AsMemory(n * perImage, perImage);
            var reference = baseline.Data.AsMemory(n * perImage, perImage);
            var scores = PerturbedScores.Evaluate(model, imageShape, Options.Samples, (i, destination) =>
            {
                var mask = new float[width];
                var x = image.Span;
                var b = reference.Span;
                for (int y = 0; y < height; y++)
                {
                    masks.Row(i, y, mask);
                    for (int c = 0; c < channels; c++)
                    {
                        int at = c * plane + y * width;
                        for (int col = 0; col < width; col++) destination[at + col] = b[at + col] + mask[col] * (x[at + col] - b[at + col]);
                    }
                }
            }, resolved[n], Options.BatchSize, this);
            Accumulate(masks, scores, height, width).CopyTo(values.Data, n * plane);
        }
        return Result(values, resolved);
    }

    /// <summary>S = Σᵢ scoreᵢ·Mᵢ / (N·p), rows split over threads, masks summed in order for every pixel.</summary>
    private float[] Accumulate(MaskSet masks, float[] scores, int height, int width)
    {
        var result = new float[height * width];
        double norm = 1.0 / (Options.Samples * Options.Probability);
        Parallelism.For(height, (from, to) =>
        {
            var mask = new float[width];
            var sum = new double[width];
            for (int y = from; y < to; y++)
            {
                Array.Clear(sum);
                for (int i = 0; i < scores.Length; i++)
                {
                    masks.Row(i, y, mask);
                    double s = scores[i];
                    for (int x = 0; x < width; x++) sum[x] += s * mask[x];
                }
                for (int x = 0; x < width; x++) result[y * width + x] = (float)(sum[x] * norm);
            }
        }, costPerItem: (double)scores.Length * width * 4);
        return result;
    }

    private static RiseOptions Validate(RiseOptions options)
    {
        if (options.Samples < 1) throw new InvalidOptionException($"rise: --samples must be at least 1, not {options.Samples}");
        if (options.GridSize < 1) throw new InvalidOptionException($"rise: --mask-grid must be at least 1 cell, not {options.GridSize}");
        if (!(options.Probability > 0 && options.Probability < 1))
            throw new InvalidOptionException($"rise: --mask-probability must lie strictly between 0 and 1, not {options.Probability}");
        if (options.BatchSize < 1) throw new InvalidOptionException($"rise: --batch-size must be at least 1, not {options.BatchSize}");
        return options;
    }

    /// <summary>
    /// The random grids and shifts of masks 0..count-1 (a few bytes each) and the bilinear tables that
    /// turn them into mask rows on demand, so the full-size masks are never stored.
    /// </summary>
    private sealed class MaskSet
    {
        private readonly int _grid, _width, _first;
        private readonly bool[] _cells;
        private readonly int[] _shiftY, _shiftX;
        private readonly Axis _rows, _columns;

        /// <summary>Masks first..first+count-1; mask i always comes from the stream (seed, i).</summary>
        public MaskSet(RiseOptions options, int height, int width, int count, int first = 0)
        {
            _first = first;
            _grid = options.GridSize;
            _width = width;
            int cellHeight = (height + _grid - 1) / _grid, cellWidth = (width + _grid - 1) / _grid;
            _rows = new Axis(_grid, (_grid + 1) * cellHeight);
            _columns = new Axis(_grid, (_grid + 1) * cellWidth);
            _cells = new bool[count * _grid * _grid];
            _shiftY = new int[count];
            _shiftX = new int[count];
            for (int i = 0; i < count; i++)
            {
                var random = new SeededRandom(options.Seed, first + i);
                for (int c = 0; c < _grid * _grid; c++) _cells[i * _grid * _grid + c] = random.NextDouble() < options.Probability;
                _shiftY[i] = random.NextInt(cellHeight);
                _shiftX[i] = random.NextInt(cellWidth);
            }
        }

        /// <summary>Row <paramref name="y"/> of mask <paramref name="index"/>: bilinear in the grid at the shifted up-sampled position.</summary>
        public void Row(int index, int y, Span<float> destination)
        {
            index -= _first;
            var cells = _cells.AsSpan(index * _grid * _grid, _grid * _grid);
            int u = y + _shiftY[index];
            int low = _rows.Low[u], high = _rows.High[u];
            float fy = _rows.Fraction[u];
            int shift = _shiftX[index];
            for (int x = 0; x < _width; x++)
            {
                int v = x + shift;
                int left = _columns.Low[v], right = _columns.High[v];
                float fx = _columns.Fraction[v];
                float top = Value(cells, low, left) * (1 - fx) + Value(cells, low, right) * fx;
                float bottom = Value(cells, high, left) * (1 - fx) + Value(cells, high, right) * fx;
                destination[x] = top * (1 - fy) + bottom * fy;
            }
        }

        private float Value(ReadOnlySpan<bool> cells, int row, int column) => cells[row * _grid + column] ? 1f : 0f;
    }

    /// <summary>
    /// For each up-sampled coordinate u of one axis: the two grid cells and the weight of the second,
    /// with pixel centres aligned (source = (u + ½)·s/size − ½) and mirrored edges, as scikit-image's
    /// resize(order=1, mode='reflect') that the paper's code uses (written from its documented convention).
    /// </summary>
    private sealed class Axis
    {
        public Axis(int cells, int size)
        {
            Low = new int[size];
            High = new int[size];
            Fraction = new float[size];
            for (int u = 0; u < size; u++)
            {
                double source = (u + 0.5) * cells / size - 0.5;
                int floor = (int)Math.Floor(source);
                Low[u] = Mirror(floor, cells);
                High[u] = Mirror(floor + 1, cells);
                Fraction[u] = (float)(source - floor);
            }
        }

        public int[] Low { get; }

        public int[] High { get; }

        public float[] Fraction { get; }

        private static int Mirror(int i, int cells)
        {
            if (cells == 1) return 0;
            int period = 2 * (cells - 1);
            i = ((i % period) + period) % period;
            return i < cells ? i : period - i;
        }
    }
}
