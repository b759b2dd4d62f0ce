using CnnLens.Tensors;

namespace CnnLens.Graph;

/// <summary>
/// n perturbed copies of one activation [1,C,H,W] that differ from it only inside a window of
/// <see cref="Height"/> x <see cref="Width"/> positions, placed at (Tops[i], Lefts[i]) in copy i:
/// <see cref="Values"/> [n,C,h,w] holds the window of every copy, everything outside it equals the
/// unperturbed activation. What <see cref="IncrementalForward"/> passes from layer to layer.
/// </summary>
public sealed class SpatialPatch
{
    public SpatialPatch(int[] tops, int[] lefts, Tensor values)
    {
        if (values.Rank != 4 || tops.Length != values.Dim(0) || lefts.Length != values.Dim(0))
            throw new ShapeMismatchException($"a spatial patch needs values [n,C,h,w] and n positions, got {values} with {tops.Length} tops and {lefts.Length} lefts");
        Tops = tops;
        Lefts = lefts;
        Values = values;
    }

    public int[] Tops { get; }

    public int[] Lefts { get; }

    /// <summary>[n,C,h,w]: the window of every copy.</summary>
    public Tensor Values { get; }

    public int Count => Values.Dim(0);

    public int Height => Values.Dim(2);

    public int Width => Values.Dim(3);

    /// <summary>
    /// Copies the window rows [tops[i], tops[i]+height) x [lefts[i], lefts[i]+width) of every copy out of
    /// <paramref name="unperturbed"/> [1,C,H,W] overlaid with <paramref name="patch"/> (null: no change);
    /// positions outside the tensor get <paramref name="outside"/> (a layer's padding value).
    /// </summary>
    public static Tensor Gather(Tensor unperturbed, SpatialPatch? patch, int count, int[] tops, int[] lefts, int height, int width, float outside = 0f)
    {
        int channels = unperturbed.Dim(1), fullHeight = unperturbed.Dim(2), fullWidth = unperturbed.Dim(3);
        var result = new Tensor(count, channels, height, width);
        var source = unperturbed.Data;
        var target = result.Data;
        Parallelism.For(count * channels, (from, to) =>
        {
            for (int plane = from; plane < to; plane++)
            {
                int i = plane / channels, c = plane % channels;
                int top = tops[i], left = lefts[i];
                int baseOffset = c * fullHeight * fullWidth;
                var destination = target.AsSpan(plane * height * width, height * width);
                int x0 = Math.Max(0, left), x1 = Math.Min(fullWidth, left + width); // columns inside the tensor
                for (int y = 0; y < height; y++)
                {
                    var row = destination.Slice(y * width, width);
                    int sy = top + y;
                    if (sy < 0 || sy >= fullHeight || x0 >= x1)
                    {
                        row.Fill(outside);
                        continue;
                    }
                    if (x0 > left) row[..(x0 - left)].Fill(outside);
                    if (x1 < left + width) row[(x1 - left)..].Fill(outside);
                    source.AsSpan(baseOffset + sy * fullWidth + x0, x1 - x0).CopyTo(row.Slice(x0 - left));
                }
                if (patch is null) continue;
                // Overlay the perturbed window where it overlaps the gathered one.
                int ph = patch.Height, pw = patch.Width, pt = patch.Tops[i], pl = patch.Lefts[i];
                int oy0 = Math.Max(top, pt), oy1 = Math.Min(top + height, pt + ph);
                int ox0 = Math.Max(left, pl), ox1 = Math.Min(left + width, pl + pw);
                if (oy0 >= oy1 || ox0 >= ox1) continue;
                var patchPlane = patch.Values.Data.AsSpan(plane * ph * pw, ph * pw);
                for (int y = oy0; y < oy1; y++)
                    patchPlane.Slice((y - pt) * pw + (ox0 - pl), ox1 - ox0).CopyTo(destination.Slice((y - top) * width + (ox0 - left)));
            }
        }, costPerItem: height * width);
        return result;
    }
}
