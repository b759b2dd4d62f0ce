namespace CnnLens.Attribution.Perturbation;

/// <summary>A fitted linear surrogate: y ≈ Intercept + Σ Coefficients[k]·x[k], with its weighted R² on the samples it was fitted to.</summary>
public sealed record LinearFit(double[] Coefficients, double Intercept, double RSquared);

/// <summary>
/// Weighted (ridge) least squares for the surrogates of lime and kernel-shap: minimises
/// Σ wᵢ (yᵢ − b − xᵢ·β)² + ridge·|β|² (the intercept is not penalised, as in scikit-learn's Ridge)
/// through the normal equations in double precision. A singular system (a feature on in every sample,
/// or fewer samples than features) gets a ridge of 1e-9 of its largest diagonal entry, which picks a
/// near minimum-norm solution instead of failing.
/// </summary>
public static class WeightedLinearRegression
{
    /// <summary>Fits rows of <paramref name="design"/> (row-major, <paramref name="columns"/> per row) to <paramref name="targets"/>.</summary>
    public static LinearFit Fit(double[] design, int columns, double[] targets, double[] weights, double ridge = 0, bool intercept = true)
    {
        int rows = targets.Length;
        if (design.Length != rows * columns || weights.Length != rows)
            throw new ArgumentException($"design of {design.Length} values does not hold {rows} rows of {columns}");
        double totalWeight = 0, meanY = 0;
        var meanX = new double[columns];
        for (int i = 0; i < rows; i++)
        {
            totalWeight += weights[i];
            meanY += weights[i] * targets[i];
            for (int k = 0; k < columns; k++) meanX[k] += weights[i] * design[i * columns + k];
        }
        if (!(totalWeight > 0)) throw new ArgumentException("the sample weights sum to zero");
        if (intercept)
        {
            meanY /= totalWeight;
            for (int k = 0; k < columns; k++) meanX[k] /= totalWeight;
        }
        else
        {
            meanY = 0;
            Array.Clear(meanX);
        }

        var normal = new double[columns * columns];
        var right = new double[columns];
        var row = new double[columns];
        for (int i = 0; i < rows; i++)
        {
            double w = weights[i];
            if (w == 0) continue;
            for (int k = 0; k < columns; k++) row[k] = design[i * columns + k] - meanX[k];
            double y = targets[i] - meanY;
            for (int a = 0; a < columns; a++)
            {
                double wa = w * row[a];
                if (wa == 0) continue;
                right[a] += wa * y;
                for (int b = a; b < columns; b++) normal[a * columns + b] += wa * row[b];
            }
        }
        for (int a = 0; a < columns; a++)
            for (int b = 0; b < a; b++) normal[a * columns + b] = normal[b * columns + a];

        var beta = Solve(normal, right, columns, ridge);
        double b0 = meanY;
        for (int k = 0; k < columns; k++) b0 -= beta[k] * meanX[k];
        return new LinearFit(beta, b0, RSquared(design, columns, targets, weights, beta, b0, totalWeight));
    }

    /// <summary>scikit-learn's weighted R²: 1 − Σw(y−ŷ)² / Σw(y−ȳ)², 1 for a perfect fit of constant targets and 0 for an imperfect one.</summary>
    private static double RSquared(double[] design, int columns, double[] targets, double[] weights, double[] beta, double b0, double totalWeight)
    {
        double mean = 0;
        for (int i = 0; i < targets.Length; i++) mean += weights[i] * targets[i];
        mean /= totalWeight;
        double residual = 0, total = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double predicted = b0;
            for (int k = 0; k < columns; k++) predicted += beta[k] * design[i * columns + k];
            residual += weights[i] * (targets[i] - predicted) * (targets[i] - predicted);
            total += weights[i] * (targets[i] - mean) * (targets[i] - mean);
        }
        double tiny = 1e-24 * Math.Max(1, mean * mean) * totalWeight;
        if (total <= tiny) return residual <= tiny ? 1 : 0;
        return 1 - residual / total;
    }

    /// <summary>Cholesky solve of (A + ridge·I) x = b, retried with a tiny ridge if A is singular.</summary>
    private static double[] Solve(double[] a, double[] b, int n, double ridge)
    {
        double largest = 0;
        for (int i = 0; i < n; i++) largest = Math.Max(largest, a[i * n + i]);
        if (Cholesky(a, b, n, ridge) is { } x) return x;
        double jitter = Math.Max(ridge, 0) + 1e-9 * Math.Max(largest, 1e-12);
        return Cholesky(a, b, n, jitter) ?? new double[n];
    }

    private static double[]? Cholesky(double[] a, double[] b, int n, double ridge)
    {
        var l = new double[n * n];
        double largest = 0;
        for (int i = 0; i < n; i++) largest = Math.Max(largest, a[i * n + i] + ridge);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (sum <= 1e-13 * largest) return null;
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
            y[i] = sum / l[i * n + i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
        return x;
    }
}
