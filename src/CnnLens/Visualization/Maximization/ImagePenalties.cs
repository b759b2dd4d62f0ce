using CnnLens.Tensors;

namespace CnnLens.Visualization.Maximization;

/// <summary>
/// Optional regularisers on the 0..1 image, subtracted from the objective: an L2 penalty
/// (weight · mean of (x − 0.5)², pulling towards grey) and total variation
/// (weight · mean over neighbouring pixel pairs of |difference|, favouring smooth regions).
/// Each returns its value per image and adds the gradient of −penalty (ascent direction) into a tensor.
/// </summary>
public static class ImagePenalties
{
    /// <summary>weight · mean((x − 0.5)²) per image; adds −d/dx into <paramref name="ascent"/>.</summary>
    public static double[] L2(Tensor image, double weight, Tensor ascent)
    {
        int batch = image.Dim(0), perImage = image.Length / batch;
        var values = new double[batch];
        for (int n = 0; n < batch; n++)
            for (int i = n * perImage; i < (n + 1) * perImage; i++)
            {
                double d = image.Data[i] - 0.5;
                values[n] += weight * d * d / perImage;
                ascent.Data[i] -= (float)(2 * weight * d / perImage);
            }
        return values;
    }

    /// <summary>weight · mean of |x[y,x+1] − x[y,x]| and |x[y+1,x] − x[y,x]| per image (all pairs of both directions counted); adds −d/dx.</summary>
    public static double[] TotalVariation(Tensor image, double weight, Tensor ascent)
    {
        int batch = image.Dim(0), channels = image.Dim(1), height = image.Dim(2), width = image.Dim(3);
        double pairs = channels * ((double)height * (width - 1) + (double)(height - 1) * width);
        var values = new double[batch];
        if (pairs == 0) return values;
        double scale = weight / pairs;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                int plane = (n * channels + c) * height * width;
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int i = plane + y * width + x;
                        if (x + 1 < width) Pair(i, i + 1);
                        if (y + 1 < height) Pair(i, i + width);
                    }
                void Pair(int a, int b)
                {
                    double d = image.Data[b] - image.Data[a];
                    values[n] += scale * Math.Abs(d);
                    float g = (float)(scale * Math.Sign(d));
                    ascent.Data[b] -= g;
                    ascent.Data[a] += g;
                }
            }
        return values;
    }
}
