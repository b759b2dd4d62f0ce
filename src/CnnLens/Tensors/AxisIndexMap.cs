using System.Runtime.CompilerServices;
namespace CnnLens.Tensors;

/// <summary>
/// Reads a tensor through one index map per axis: output[o₀,…,oₙ] = input[map₀[o₀],…,mapₙ[oₙ]],
/// or a fill value where any map holds −1. Padding (constant, edge, reflect) and nearest-neighbour
/// resizing are such maps; the transpose (<see cref="ScatterAdd"/>) gives their gradients.
/// </summary>
public static class AxisIndexMap
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(float[] source, ReadOnlySpan<int> sourceShape, int[][] maps, Span<float> destination, float fill)
    {
        int rank = maps.Length;
        if (rank == 0)
        {
            destination[0] = source[0];
            return;
        }
        var strides = Tensor.StridesOf(sourceShape);
        var last = maps[rank - 1];
        int inner = last.Length;
        if (inner == 0) return;
        int rows = destination.Length / inner;
        bool contiguous = IsRun(last);
        Span<int> index = stackalloc int[rank];
        for (int r = 0; r < rows; r++)
        {
            var dst = destination.Slice(r * inner, inner);
            int rowOffset = 0;
            bool inside = true;
            for (int d = 0; d < rank - 1; d++)
            {
                int s = maps[d][index[d]];
                if (s < 0) { inside = false; break; }
                rowOffset += s * strides[d];
            }
            if (!inside) dst.Fill(fill);
            else if (contiguous) source.AsSpan(rowOffset + last[0], inner).CopyTo(dst);
            else
                for (int i = 0; i < inner; i++) dst[i] = last[i] < 0 ? fill : source[rowOffset + last[i]];
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < maps[d].Length) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>The transpose of <see cref="Gather"/>: gradient[map(o)] += outputGradient[o], skipping −1 entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScatterAdd(ReadOnlySpan<float> outputGradient, int[][] maps, float[] gradient, ReadOnlySpan<int> sourceShape)
    {
        int rank = maps.Length;
        if (rank == 0)
        {
            gradient[0] += outputGradient[0];
            return;
        }
        var strides = Tensor.StridesOf(sourceShape);
        var last = maps[rank - 1];
        int inner = last.Length;
        if (inner == 0) return;
        int rows = outputGradient.Length / inner;
        bool contiguous = IsRun(last);
        Span<int> index = stackalloc int[rank];
        for (int r = 0; r < rows; r++)
        {
            var src = outputGradient.Slice(r * inner, inner);
            int rowOffset = 0;
            bool inside = true;
            for (int d = 0; d < rank - 1; d++)
            {
                int s = maps[d][index[d]];
                if (s < 0) { inside = false; break; }
                rowOffset += s * strides[d];
            }
            if (inside)
            {
                if (contiguous) Elementwise.AddInPlace(gradient.AsSpan(rowOffset + last[0], inner), src);
                else
                    for (int i = 0; i < inner; i++)
                        if (last[i] >= 0) gradient[rowOffset + last[i]] += src[i];
            }
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < maps[d].Length) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>True when the map is k, k+1, k+2, … (a contiguous run, copied with CopyTo).</summary>
    private static bool IsRun(int[] map)
    {
        if (map[0] < 0) return false;
        for (int i = 1; i < map.Length; i++)
            if (map[i] != map[0] + i) return false;
        return true;
    }
}
