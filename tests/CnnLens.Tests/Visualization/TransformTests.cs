using CnnLens.Tensors;
using CnnLens.Visualization.Maximization;

namespace CnnLens.Tests.Visualization;

/// <summary>Robustness transforms and penalties: hand values and VJPs against finite differences.</summary>
public class TransformTests
{
    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void Shift_by_whole_pixels_moves_the_image_and_repeats_the_edge()
    {
        var image = new Tensor([1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
        var output = new Tensor(1, 1, 2, 4);
        ImageTransform.Affine(2, 4, scale: 1, degrees: 0, shiftX: 1, shiftY: 0).Apply(image, output, 0);
        Assert.Equal([1f, 1, 2, 3, 5, 5, 6, 7], output.Data);
    }

    [Fact]
    public void Sampling_grid_normalises_on_the_way_out_and_divides_by_std_on_the_way_back()
    {
        // Shift right by one pixel on 1x4 rows of two channels: output x reads input max(x − 1, 0).
        var normalization = new InputNormalization(2, [0.5f, 1f], [2f, 4f]);
        var grid = new SamplingGrid();
        grid.Fill(ImageTransform.Affine(1, 4, 1, 0, 1, 0), 1, 4, 1, 4);
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8];
        var seen = new float[8];
        grid.Gather(image, 0, seen, 0, 2, normalization);
        Assert.Equal([0.25f, 0.25f, 0.75f, 1.25f, 1f, 1f, 1.25f, 1.5f], seen);

        // Transpose of (shift, then /std) on a gradient of ones: input 0 collects outputs 0 and 1, inputs 1 and 2 one each, input 3 none.
        var gradient = new float[8];
        grid.Scatter([1, 1, 1, 1, 1, 1, 1, 1], 0, gradient, 0, 2, normalization);
        Assert.Equal([1f, 0.5f, 0.5f, 0, 0.5f, 0.25f, 0.25f, 0], gradient);
    }

    [Fact]
    public void Rotation_by_90_degrees_about_the_centre_turns_the_image()
    {
        // Output (x, y) reads input at R(-90°)(p - c) + c: on a 3x3 image, output[0,2] = input[0,0] (clockwise turn in image coordinates).
        var image = new Tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var output = new Tensor(1, 1, 3, 3);
        ImageTransform.Affine(3, 3, 1, 90, 0, 0).Apply(image, output, 0);
        Assert.Equal([7f, 4, 1, 8, 5, 2, 9, 6, 3], output.Data.Select(v => MathF.Round(v, 4)).ToArray());
    }

    [Fact]
    public void Resize_halves_by_averaging_pixel_pairs()
    {
        var image = new Tensor([1, 1, 2, 4], [0, 2, 4, 6, 8, 10, 12, 14]);
        var output = ImageTransform.Resize(2, 4, 1, 2).ApplyAll(image, 1, 2);
        Assert.Equal([5f, 9f], output.Data);
    }

    [Theory]
    [InlineData(1.1, 7.5, 1.5, -2)]
    [InlineData(0.85, -10, 3, 0)]
    public void Transform_backward_matches_finite_differences(double scale, double degrees, double shiftX, double shiftY)
    {
        var transform = ImageTransform.Affine(7, 9, scale, degrees, shiftX, shiftY);
        int[] shape = [2, 3, 7, 9];
        FiniteDifferences.Check(RandomValues(2 * 3 * 7 * 9, 6),
            p =>
            {
                var input = new Tensor(shape, p);
                var output = new Tensor(shape);
                for (int n = 0; n < 2; n++) transform.Apply(input, output, n);
                return output.Data;
            },
            g =>
            {
                var gradient = new Tensor(shape);
                for (int n = 0; n < 2; n++) transform.Backward(new Tensor(shape, g), gradient, n);
                return gradient.Data;
            },
            step: 0.1);
    }

    [Fact]
    public void Draws_depend_on_seed_step_and_image_only()
    {
        var robustness = new TransformRobustness();
        Assert.Equal(robustness.Draw(32, 32, 5, 3, 1), robustness.Draw(32, 32, 5, 3, 1));
        Assert.NotEqual(robustness.Draw(32, 32, 5, 3, 1), robustness.Draw(32, 32, 5, 4, 1));
        Assert.NotEqual(robustness.Draw(32, 32, 5, 3, 1), robustness.Draw(32, 32, 6, 3, 1));
        Assert.Equal(ImageTransform.Affine(8, 8, 1, 0, 0, 0), TransformRobustness.None.Draw(8, 8, 1, 2, 3));
    }

    [Fact]
    public void Penalties_match_hand_values_and_finite_differences()
    {
        // 1x1x1x3 image [0.5, 1, 0]: L2 mean((x-0.5)²) = (0 + 0.25 + 0.25)/3; TV mean|Δ| over 2 pairs = (0.5 + 1)/2.
        var image = new Tensor([1, 1, 1, 3], [0.5f, 1f, 0f]);
        Assert.Equal(2 * 0.5 / 3, ImagePenalties.L2(image, 2, new Tensor(1, 1, 1, 3))[0], 1e-7);
        Assert.Equal(0.75, ImagePenalties.TotalVariation(image, 1, new Tensor(1, 1, 1, 3))[0], 1e-7);

        int[] shape = [2, 2, 3, 4];
        var point = RandomValues(48, 8);
        foreach (var penalty in new Func<Tensor, Tensor, double[]>[] { (x, a) => ImagePenalties.L2(x, 0.7, a), (x, a) => ImagePenalties.TotalVariation(x, 0.7, a) })
        {
            var ascent = new Tensor(shape);
            penalty(new Tensor(shape, point), ascent);
            // f(p) = per-image penalty values; its VJP with weights r is −r[n]·ascent of image n.
            FiniteDifferences.Check(point,
                p => penalty(new Tensor(shape, p), new Tensor(shape)).Select(v => (float)v).ToArray(),
                r => ascent.Data.Select((a, i) => -a * r[i / 24]).ToArray(),
                step: 1e-3, absoluteTolerance: 1e-4, relativeTolerance: 1e-2);
        }
    }
}
