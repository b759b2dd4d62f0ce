using CnnLens.Tensors;

namespace CnnLens.Tests.Kernels;

/// <summary>The Jacobi eigen-decomposition on matrices whose eigenpairs are known by construction.</summary>
public class SymmetricEigenTests
{
    /// <summary>Asserts <paramref name="actual"/> = ±<paramref name="expected"/> (eigenvectors carry no sign).</summary>
    private static void EqualUpToSign(double[] expected, double[] actual, double tolerance)
    {
        double dot = expected.Zip(actual, (e, a) => e * a).Sum();
        double sign = dot >= 0 ? 1 : -1;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], sign * actual[i], tolerance);
    }

    [Fact]
    public void Two_by_two_by_hand()
    {
        // [[2,1],[1,2]]: 3 along (1,1)/√2, 1 along (1,−1)/√2.
        var eigen = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(3, eigen.Values[0], 1e-14);
        Assert.Equal(1, eigen.Values[1], 1e-14);
        double r = Math.Sqrt(0.5);
        EqualUpToSign([r, r], eigen.Vector(0), 1e-14);
        EqualUpToSign([r, -r], eigen.Vector(1), 1e-14);
    }

    [Fact]
    public void Householder_conjugate_of_a_diagonal_has_its_columns_as_eigenvectors()
    {
        // Q = I − 2wwᵀ/wᵀw is orthogonal and symmetric, so A = Q·diag(λ)·Q has eigenpairs (λ_k, column k of Q).
        double[] w = [1, 2, 3, 4, 5];
        double[] lambda = [5, -1, 3, 0.5, 2];
        int n = w.Length;
        double ww = w.Sum(x => x * x);
        double Q(int i, int j) => (i == j ? 1 : 0) - 2 * w[i] * w[j] / ww;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i * n + j] += Q(i, k) * lambda[k] * Q(k, j);

        var eigen = SymmetricEigen.Decompose(a, n);
        Assert.Equal([5, 3, 2, 0.5, -1], eigen.Values.Select(x => Math.Round(x, 12)).ToArray());
        int[] column = [0, 2, 4, 3, 1]; // where each sorted eigenvalue sits in lambda
        for (int k = 0; k < n; k++)
            EqualUpToSign(Enumerable.Range(0, n).Select(i => Q(i, column[k])).ToArray(), eigen.Vector(k), 1e-12);
    }

    [Fact]
    public void Random_symmetric_matrix_is_reconstructed_with_orthonormal_vectors()
    {
        const int n = 30;
        var random = new Random(7);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.NextDouble() * 2 - 1;
        var eigen = SymmetricEigen.Decompose(a, n);
        for (int k = 0; k < n; k++)
        {
            var v = eigen.Vector(k);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * v[j];
                Assert.Equal(eigen.Values[k] * v[i], av, 1e-11);
            }
            for (int m = 0; m <= k; m++)
                Assert.Equal(m == k ? 1 : 0, eigen.Vector(m).Zip(v, (x, y) => x * y).Sum(), 1e-12);
            if (k > 0) Assert.True(eigen.Values[k - 1] >= eigen.Values[k]);
        }
        Assert.InRange(eigen.Sweeps, 1, 20);
    }

    [Fact]
    public void Diagonal_matrix_needs_no_rotation_and_bad_input_is_refused()
    {
        var eigen = SymmetricEigen.Decompose([1, 0, 0, 0, 4, 0, 0, 0, 2], 3);
        Assert.Equal(0, eigen.Sweeps);
        Assert.Equal([4.0, 2, 1], eigen.Values);
        Assert.Equal([0.0, 1, 0], eigen.Vector(0));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1, 2, 3, 4], 2));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1, 2, 3], 2));
    }
}
