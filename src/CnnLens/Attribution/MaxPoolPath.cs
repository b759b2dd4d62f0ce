using CnnLens.Graph;
using CnnLens.Graph.Operators;
using CnnLens.Tensors;
using CnnLens.Tensors.Kernels;

namespace CnnLens.Attribution;

/// <summary>
/// DeepLIFT's rule for max pooling over a [inputs; references] batch. Along the straight path from
/// reference x′ to input x, each window's maximum is piecewise linear in t ∈ [0, 1]; the output's
/// change is exactly Σ_i f_i Δx_i, where f_i is the fraction of the path on which element i is the
/// maximum (the upper envelope of the lines x′_i + t Δx_i). f_i is the multiplier of element i.
/// </summary>
internal static class MaxPoolPath
{
    public static Tensor?[] Backward(GraphNode node, Tensor?[] inputs, Tensor output, Tensor gradient)
    {
        var x = inputs[0]!;
        var geometry = node.Operator switch
        {
            MaxPoolOperator maxPool => maxPool.Geometry(x).Geometry,
            _ => WholePlane(x),
        };
        var dx = new Tensor(x.ShapeArray);
        int half = geometry.Planes / 2;
        var window = new int[geometry.KernelHeight * geometry.KernelWidth];
        var fractions = new double[window.Length];
        for (int plane = 0; plane < half; plane++)
        {
            int inputPlane = plane * geometry.InSpatial, referencePlane = (plane + half) * geometry.InSpatial;
            for (int oy = 0; oy < geometry.OutHeight; oy++)
                for (int ox = 0; ox < geometry.OutWidth; ox++)
                {
                    int count = WindowOf(geometry, oy, ox, window);
                    if (count == 0) continue;
                    Envelope(x.Data, inputPlane, referencePlane, window.AsSpan(0, count), fractions);
                    int o = oy * geometry.OutWidth + ox;
                    float g = gradient.Data[plane * geometry.OutSpatial + o];
                    float gReference = gradient.Data[(plane + half) * geometry.OutSpatial + o];
                    for (int k = 0; k < count; k++)
                    {
                        dx.Data[inputPlane + window[k]] += (float)(g * fractions[k]);
                        dx.Data[referencePlane + window[k]] += (float)(gReference * fractions[k]);
                    }
                }
        }
        return [dx];
    }

    /// <summary>Positions (within the plane) the window of output (oy, ox) covers, padding excluded.</summary>
    private static int WindowOf(PoolingGeometry g, int oy, int ox, int[] window)
    {
        int count = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if (iy < 0 || iy >= g.InHeight) continue;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if (ix >= 0 && ix < g.InWidth) window[count++] = iy * g.InWidth + ix;
            }
        }
        return count;
    }

    /// <summary>Fractions of t ∈ [0,1] on which each line a_k + t·b_k (a = reference, b = change) is the highest.</summary>
    private static void Envelope(float[] data, int inputPlane, int referencePlane, ReadOnlySpan<int> window, double[] fractions)
    {
        int n = window.Length;
        Span<double> a = stackalloc double[n];
        Span<double> b = stackalloc double[n];
        for (int k = 0; k < n; k++)
        {
            a[k] = data[referencePlane + window[k]];
            b[k] = data[inputPlane + window[k]] - a[k];
            fractions[k] = 0;
        }
        int current = 0;
        for (int k = 1; k < n; k++)
            if (a[k] > a[current] || (a[k] == a[current] && b[k] > b[current])) current = k;
        double t = 0;
        while (t < 1)
        {
            double nextT = 1;
            int next = -1;
            for (int k = 0; k < n; k++)
            {
                if (b[k] <= b[current]) continue;
                double crossing = Math.Max(t, (a[current] - a[k]) / (b[k] - b[current]));
                if (crossing < nextT || (crossing == nextT && next >= 0 && b[k] > b[next]))
                {
                    nextT = crossing;
                    next = k;
                }
            }
            fractions[current] += nextT - t;
            t = nextT;
            if (next < 0) break;
            current = next;
        }
    }

    private static PoolingGeometry WholePlane(Tensor x) => new()
    {
        Planes = x.Dim(0) * x.Dim(1),
        InHeight = x.Dim(2),
        InWidth = x.Rank > 3 ? x.Dim(3) : 1,
        OutHeight = 1,
        OutWidth = 1,
        KernelHeight = x.Dim(2),
        KernelWidth = x.Rank > 3 ? x.Dim(3) : 1,
    };
}
