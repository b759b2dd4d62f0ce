using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// eigen-cam (Muhammad &amp; Yeasin 2020, as pytorch-grad-cam's get_2d_projection): the layer's
/// activation of each image as a (positions × channels) matrix X, each channel centred on its mean
/// over positions, projected on its first principal component (first right singular vector v):
/// map = ReLU(X·v), class-agnostic (the target is recorded, not used). The principal component is
/// found with a Jacobi eigen-decomposition of the smaller Gram matrix, XXᵀ or XᵀX, in double.
/// A singular vector has no sign of its own (pytorch-grad-cam takes whatever LAPACK returns); CnnLens
/// picks the sign that makes the projection correlate positively with the total activation Σ_c A_c
/// per position (equivalently Σ_c v_c ≥ 0): the component that grows where the layer fires more.
/// </summary>
public sealed class EigenCam(string? layer = null) : GradientFreeCam(layer, 1)
{
    public override string Name => "eigen-cam";

    protected override IReadOnlyDictionary<string, string> DescribeOptions() =>
        new Dictionary<string, string> { ["layer"] = Layer ?? "(suggested)" };

    protected override Tensor Map(CamLayer layer)
    {
        var activation = layer.Activation;
        int images = activation.Dim(0), channels = activation.Dim(1), h = activation.Dim(2), w = activation.Dim(3);
        var cam = new Tensor(images, h, w);
        for (int image = 0; image < images; image++)
        {
            Cancellation.ThrowIfCancellationRequested();
            var projection = Project(activation.Data.AsSpan(image * channels * h * w, channels * h * w), channels, h * w);
            for (int i = 0; i < projection.Length; i++) cam.Data[image * h * w + i] = (float)projection[i];
            Progress?.Report(new AttributionProgress(Name, image + 1, images));
        }
        return cam;
    }

    /// <summary>X·v for one image's activation [channels, positions], with the sign described above.</summary>
    public static double[] Project(ReadOnlySpan<float> activation, int channels, int positions)
    {
        // centred X, stored channel-major: x[c * positions + i] = A[c,i] − mean_i A[c,·]
        var x = new double[channels * positions];
        for (int c = 0; c < channels; c++)
        {
            var row = activation.Slice(c * positions, positions);
            double mean = 0;
            foreach (float v in row) mean += v;
            mean /= positions;
            for (int i = 0; i < positions; i++) x[c * positions + i] = row[i] - mean;
        }
        var projection = new double[positions];
        if (positions <= channels)
        {
            // XXᵀ (positions × positions) = U S² Uᵀ, and X·v₁ = σ₁u₁.
            var gram = new double[positions * positions];
            for (int c = 0; c < channels; c++)
            {
                var row = x.AsSpan(c * positions, positions);
                for (int i = 0; i < positions; i++)
                {
                    double xi = row[i];
                    if (xi == 0) continue;
                    for (int j = 0; j <= i; j++) gram[i * positions + j] += xi * row[j];
                }
            }
            Symmetrize(gram, positions);
            var eigen = SymmetricEigen.Decompose(gram, positions);
            double sigma = Math.Sqrt(Math.Max(eigen.Values[0], 0));
            var u = eigen.Vector(0);
            for (int i = 0; i < positions; i++) projection[i] = sigma * u[i];
        }
        else
        {
            // XᵀX (channels × channels) = V S² Vᵀ, projection X·v₁.
            var gram = new double[channels * channels];
            for (int a = 0; a < channels; a++)
                for (int b = 0; b <= a; b++)
                {
                    double sum = 0;
                    var ra = x.AsSpan(a * positions, positions);
                    var rb = x.AsSpan(b * positions, positions);
                    for (int i = 0; i < positions; i++) sum += ra[i] * rb[i];
                    gram[a * channels + b] = sum;
                }
            Symmetrize(gram, channels);
            var v = SymmetricEigen.Decompose(gram, channels).Vector(0);
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < positions; i++) projection[i] += x[c * positions + i] * v[c];
        }

        // Sign: positive correlation with the total activation per position; if that is 0, the largest entry positive.
        double correlation = 0, magnitude = 0;
        for (int i = 0; i < positions; i++)
        {
            double total = 0;
            for (int c = 0; c < channels; c++) total += activation[c * positions + i];
            correlation += projection[i] * total;
            magnitude += Math.Abs(projection[i] * total);
        }
        int largest = 0;
        for (int i = 1; i < positions; i++)
            if (Math.Abs(projection[i]) > Math.Abs(projection[largest])) largest = i;
        bool flip = Math.Abs(correlation) > 1e-9 * magnitude ? correlation < 0 : projection[largest] < 0;
        if (flip)
            for (int i = 0; i < positions; i++) projection[i] = -projection[i];
        return projection;
    }

    private static void Symmetrize(double[] lower, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) lower[j * n + i] = lower[i * n + j];
    }
}
