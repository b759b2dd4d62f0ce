namespace CnnLens.Tensors;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method (Golub &amp;
/// Van Loan, "Matrix Computations", §8.5): plane rotations zero one off-diagonal entry at a time
/// until the off-diagonal mass vanishes. O(n³) per sweep and a handful of sweeps: meant for the
/// small Gram matrices of one layer (positions × positions or channels × channels), in double.
/// </summary>
public sealed class SymmetricEigen
{
    private readonly double[] _vectors; // column k (row-major n×n) belongs to Values[k]

    private SymmetricEigen(double[] values, double[] vectors, int size, int sweeps)
    {
        Values = values;
        _vectors = vectors;
        Size = size;
        Sweeps = sweeps;
    }

    public int Size { get; }

    /// <summary>Eigenvalues, largest first.</summary>
    public double[] Values { get; }

    /// <summary>How many sweeps the iteration took (diagnostics).</summary>
    public int Sweeps { get; }

    /// <summary>The unit eigenvector of <see cref="Values"/>[k] (its sign is arbitrary, as for any eigenvector).</summary>
    public double[] Vector(int k)
    {
        var v = new double[Size];
        for (int i = 0; i < Size; i++) v[i] = _vectors[i * Size + k];
        return v;
    }

    /// <summary>Decomposes the symmetric <paramref name="size"/>×<paramref name="size"/> row-major <paramref name="matrix"/> (only read, never changed).</summary>
    public static SymmetricEigen Decompose(ReadOnlySpan<double> matrix, int size, int maxSweeps = 60)
    {
        if (size < 1 || matrix.Length != (long)size * size)
            throw new ArgumentException($"expected a {size}x{size} matrix, got {matrix.Length} values", nameof(matrix));
        int n = size;
        var a = matrix.ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(a[i * n + j] - a[j * n + i]) > 1e-9 * (Math.Abs(a[i * n + j]) + Math.Abs(a[j * n + i]) + double.Epsilon))
                    throw new ArgumentException($"matrix is not symmetric at ({i},{j})", nameof(matrix));
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;

        double total = 0;
        foreach (double x in a) total += x * x;
        int sweep = 0;
        while (sweep < maxSweeps)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += 2 * a[p * n + q] * a[p * n + q];
            if (off <= 1e-30 * total || off == 0) break;
            sweep++;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(a, v, n, p, q);
        }

        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        // Sort largest first, moving the eigenvector columns along.
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ToArray();
        var sortedValues = new double[n];
        var sortedVectors = new double[n * n];
        for (int k = 0; k < n; k++)
        {
            sortedValues[k] = values[order[k]];
            for (int i = 0; i < n; i++) sortedVectors[i * n + k] = v[i * n + order[k]];
        }
        return new SymmetricEigen(sortedValues, sortedVectors, n, sweep);
    }

    /// <summary>A ← JᵀAJ and V ← VJ with the rotation J in plane (p,q) that zeroes a_pq (Golub &amp; Van Loan's sym.schur2).</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = a[q * n + p] = 0; // exactly zero by construction; remove the rounding residue
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
