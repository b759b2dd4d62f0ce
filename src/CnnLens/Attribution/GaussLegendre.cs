namespace CnnLens.Attribution;

/// <summary>
/// Gauss–Legendre quadrature on [0, 1]: n nodes and weights that integrate polynomials of degree
/// up to 2n−1 exactly. Nodes are the roots of the Legendre polynomial P_n found by Newton's method
/// from Chebyshev-like starting points (the classical approach), in double precision.
/// </summary>
public static class GaussLegendre
{
    public static (double[] Points, double[] Weights) OnUnitInterval(int n)
    {
        if (n < 1) throw new InvalidOptionException($"quadrature needs at least 1 step, got {n}");
        var points = new double[n];
        var weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double p, derivative) = Legendre(n, x);
                double step = p / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16) break;
            }
            (_, derivative) = Legendre(n, x);
            double w = 2 / ((1 - x * x) * derivative * derivative);
            // Map [-1, 1] to [0, 1], ascending: alpha = (1 + x) / 2, weight halves.
            points[i] = (1 - x) / 2;
            points[n - 1 - i] = (1 + x) / 2;
            weights[i] = weights[n - 1 - i] = w / 2;
        }
        return (points, weights);
    }

    /// <summary>P_n(x) and P_n'(x) by the three-term recurrence.</summary>
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double p0 = 1, p1 = x;
        if (n == 0) return (1, 0);
        for (int k = 2; k <= n; k++)
        {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return (p1, n * (x * p1 - p0) / (x * x - 1));
    }
}
