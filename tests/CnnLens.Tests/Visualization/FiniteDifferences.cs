namespace CnnLens.Tests.Visualization;

/// <summary>
/// Checks a vector-Jacobian product against central finite differences: for a random functional
/// L(p) = Σ r·f(p) (accumulated in double), the VJP of r must equal (L(p + h·eᵢ) − L(p − h·eᵢ)) / 2h
/// at every checked coordinate i.
/// </summary>
public static class FiniteDifferences
{
    public static void Check(float[] point, Func<float[], float[]> function, Func<float[], float[]> vjp,
        double step = 1e-2, double absoluteTolerance = 1e-4, double relativeTolerance = 1e-2, int seed = 3, int maxCoordinates = 200)
    {
        var random = new Random(seed);
        var output = function(point);
        var weights = output.Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var analytic = vjp(weights);
        Assert.Equal(point.Length, analytic.Length);
        var coordinates = Enumerable.Range(0, point.Length).OrderBy(_ => random.Next()).Take(maxCoordinates).ToArray();
        foreach (int i in coordinates)
        {
            var plus = (float[])point.Clone();
            var minus = (float[])point.Clone();
            plus[i] += (float)step;
            minus[i] -= (float)step;
            double numeric = (Dot(weights, function(plus)) - Dot(weights, function(minus))) / (plus[i] - (double)minus[i]);
            double allowed = absoluteTolerance + relativeTolerance * Math.Abs(numeric);
            Assert.True(Math.Abs(analytic[i] - numeric) <= allowed,
                $"coordinate {i}: analytic {analytic[i]:G6}, finite difference {numeric:G6}");
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
