using CnnLens.Attribution.Perturbation;
using CnnLens.Tensors;

namespace CnnLens.Tests.Attribution.Perturbation;

public class RiseTests
{
    [Fact]
    public void Saliency_is_the_score_weighted_mean_of_the_masks_over_p()
    {
        var model = SamplingModels.Linear();
        var x = SamplingModels.LinearInput();
        var rise = new Rise(new RiseOptions { Samples = 6, GridSize = 2, Probability = 0.4, Seed = 5, BatchSize = 4 });
        var result = rise.Attribute(model, x, [1]);
        var expected = new double[16];
        for (int i = 0; i < 6; i++)
        {
            var mask = rise.Mask(i, 4, 4);
            var masked = new Tensor(x.ShapeArray);
            for (int p = 0; p < 16; p++) masked.Data[p] = x.Data[p] * mask[p];
            double score = model.Predict(masked).Data[1];
            for (int p = 0; p < 16; p++) expected[p] += score * mask[p] / (6 * 0.4);
        }
        Assert.Equal([1, 4, 4], result.Values.ShapeArray);
        for (int p = 0; p < 16; p++) Assert.Equal(expected[p], result.Values.Data[p], 5);
    }

    /// <summary>
    /// Every mask of a 2x2 grid on a 4x4 image must be one of the 16 grids x 4 shifts, up-sampled by hand:
    /// cell 2, up-sampled size (2+1)·2 = 6, source coordinate (u+½)/3 − ½ with mirrored edges (index −1 is 1,
    /// index 2 is 0): u = 0..5 sits at −⅓, 0, ⅓, ⅔, 1, 1⅓ → weights of grid rows (0, 1) below.
    /// </summary>
    [Fact]
    public void Masks_are_bilinear_upsampled_grids_cropped_at_a_shift()
    {
        // weights[u] = (weight of grid index 0, weight of grid index 1) for up-sampled coordinate u
        (double, double)[] weights = [(2 / 3.0, 1 / 3.0), (1, 0), (2 / 3.0, 1 / 3.0), (1 / 3.0, 2 / 3.0), (0, 1), (1 / 3.0, 2 / 3.0)];
        var candidates = new List<double[]>();
        for (int grid = 0; grid < 16; grid++)
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++)
                {
                    var m = new double[16];
                    for (int y = 0; y < 4; y++)
                        for (int x = 0; x < 4; x++)
                            for (int r = 0; r < 2; r++)
                                for (int c = 0; c < 2; c++)
                                {
                                    double wr = r == 0 ? weights[y + dy].Item1 : weights[y + dy].Item2;
                                    double wc = c == 0 ? weights[x + dx].Item1 : weights[x + dx].Item2;
                                    m[y * 4 + x] += wr * wc * (grid >> (r * 2 + c) & 1);
                                }
                    candidates.Add(m);
                }
        var rise = new Rise(new RiseOptions { Samples = 40, GridSize = 2, Seed = 2 });
        for (int i = 0; i < 40; i++)
        {
            var mask = rise.Mask(i, 4, 4);
            Assert.Contains(candidates, m => m.Zip(mask, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
        }
    }

    [Fact]
    public void Masks_keep_about_p_of_the_image()
    {
        var rise = new Rise(new RiseOptions { Samples = 2000, GridSize = 5, Probability = 0.3, Seed = 7 });
        double mean = Enumerable.Range(0, 2000).Average(i => rise.Mask(i, 20, 20).Average());
        Assert.InRange(mean, 0.28, 0.32); // standard error of the mean ≈ 0.003
    }
}
