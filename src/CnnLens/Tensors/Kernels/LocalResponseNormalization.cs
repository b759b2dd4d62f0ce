namespace CnnLens.Tensors.Kernels;

/// <summary>
/// ONNX LRN across channels: y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta,
/// the window running from c - floor((size-1)/2) to c + ceil((size-1)/2), and its gradient.
/// </summary>
public static class LocalResponseNormalization
{
    public static void Forward(int batch, int channels, int spatial, ReadOnlySpan<float> input, Span<float> output,
        int size, float alpha, float beta, float bias)
    {
        var denominators = new float[channels * spatial];
        for (int n = 0; n < batch; n++)
        {
            var x = input.Slice(n * channels * spatial, channels * spatial);
            Denominators(channels, spatial, x, denominators, size, alpha, bias);
            var y = output.Slice(n * channels * spatial, channels * spatial);
            for (int i = 0; i < y.Length; i++) y[i] = x[i] * MathF.Pow(denominators[i], -beta);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> with the vector-Jacobian product.</summary>
    public static void Backward(int batch, int channels, int spatial, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, int size, float alpha, float beta, float bias)
    {
        var denominators = new float[channels * spatial];
        // weighted[c] = g_c * x_c * S_c^(-beta-1): what channel c sends back to every x_j in its window.
        var weighted = new float[channels * spatial];
        int before = (size - 1) / 2, after = size - 1 - before;
        for (int n = 0; n < batch; n++)
        {
            int offset = n * channels * spatial;
            var x = input.Slice(offset, channels * spatial);
            var g = outputGradient.Slice(offset, channels * spatial);
            var dx = inputGradient.Slice(offset, channels * spatial);
            Denominators(channels, spatial, x, denominators, size, alpha, bias);
            for (int i = 0; i < weighted.Length; i++)
                weighted[i] = g[i] * x[i] * MathF.Pow(denominators[i], -beta - 1f);
            float factor = -2f * alpha * beta / size;
            for (int j = 0; j < channels; j++)
            {
                // x_j is inside the window of channels c in [j - after, j + before].
                int first = Math.Max(0, j - after), last = Math.Min(channels - 1, j + before);
                for (int s = 0; s < spatial; s++)
                {
                    int i = j * spatial + s;
                    float sum = 0f;
                    for (int c = first; c <= last; c++) sum += weighted[c * spatial + s];
                    dx[i] = g[i] * MathF.Pow(denominators[i], -beta) + factor * x[i] * sum;
                }
            }
        }
    }

    private static void Denominators(int channels, int spatial, ReadOnlySpan<float> x, Span<float> denominators, int size, float alpha, float bias)
    {
        int before = (size - 1) / 2, after = size - 1 - before;
        float scale = alpha / size;
        for (int c = 0; c < channels; c++)
        {
            int first = Math.Max(0, c - before), last = Math.Min(channels - 1, c + after);
            var d = denominators.Slice(c * spatial, spatial);
            d.Clear();
            for (int k = first; k <= last; k++)
            {
                var plane = x.Slice(k * spatial, spatial);
                for (int s = 0; s < spatial; s++) d[s] += plane[s] * plane[s];
            }
            for (int s = 0; s < spatial; s++) d[s] = bias + scale * d[s];
        }
    }
}
