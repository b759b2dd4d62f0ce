using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// One affine resampling of an image: output pixel (x, y) reads the input at
/// (<see cref="XX"/>·x + <see cref="XY"/>·y + <see cref="X0"/>, <see cref="YX"/>·x + <see cref="YY"/>·y + <see cref="Y0"/>)
/// with bilinear interpolation, positions outside the input taking the nearest edge pixel.
/// Jitter, scaling and rotation are all such maps. For fixed coefficients the output is linear in the
/// input, so <see cref="Backward"/> (the transpose: each output gradient spread back onto the four
/// pixels it was read from, with the same weights) is its exact vector-Jacobian product.
/// </summary>
public sealed record ImageTransform(double XX, double XY, double X0, double YX, double YY, double Y0)
{
    public static ImageTransform Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>
    /// The map that scales by <paramref name="scale"/> and rotates by <paramref name="degrees"/> about the
    /// image centre, then shifts by (<paramref name="shiftX"/>, <paramref name="shiftY"/>) pixels (same size in and out).
    /// </summary>
    public static ImageTransform Affine(int height, int width, double scale, double degrees, double shiftX, double shiftY)
    {
        double angle = degrees * Math.PI / 180, cos = Math.Cos(angle) / scale, sin = Math.Sin(angle) / scale;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        // source = R(-angle)/scale · (output - centre - shift) + centre
        double ox = -cx - shiftX, oy = -cy - shiftY;
        return new ImageTransform(cos, sin, cos * ox + sin * oy + cx, -sin, cos, -sin * ox + cos * oy + cy);
    }

    /// <summary>Resizing from inH x inW to outH x outW with pixel centres aligned (PyTorch's align_corners=False).</summary>
    public static ImageTransform Resize(int inHeight, int inWidth, int outHeight, int outWidth)
    {
        double sx = inWidth / (double)outWidth, sy = inHeight / (double)outHeight;
        return new ImageTransform(sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5);
    }

    /// <summary>Resamples every channel of image <paramref name="n"/> of <paramref name="input"/> [N,C,H,W] into <paramref name="output"/> [N,C,h,w].</summary>
    public void Apply(Tensor input, Tensor output, int n) => Run(input, output, n, transpose: false);

    /// <summary>Adds the transpose of <see cref="Apply"/> applied to <paramref name="outputGradient"/> into <paramref name="inputGradient"/> (image n).</summary>
    public void Backward(Tensor outputGradient, Tensor inputGradient, int n) => Run(inputGradient, outputGradient, n, transpose: true);

    /// <summary>A whole tensor resized (every image with this map) to outH x outW.</summary>
    public Tensor ApplyAll(Tensor input, int outHeight, int outWidth)
    {
        var output = new Tensor(input.Dim(0), input.Dim(1), outHeight, outWidth);
        for (int n = 0; n < input.Dim(0); n++) Apply(input, output, n);
        return output;
    }

    private void Run(Tensor source, Tensor target, int n, bool transpose)
    {
        int channels = source.Dim(1);
        if (target.Dim(1) != channels) throw new ShapeMismatchException($"transform between {source} and {target}: channel counts differ");
        var grid = new SamplingGrid();
        grid.Fill(this, source.Dim(2), source.Dim(3), target.Dim(2), target.Dim(3));
        int inSize = channels * source.Dim(2) * source.Dim(3), outSize = channels * target.Dim(2) * target.Dim(3);
        if (transpose) grid.Scatter(target.Data, n * outSize, source.Data, n * inSize, channels);
        else grid.Gather(source.Data, n * inSize, target.Data, n * outSize, channels);
    }
}
