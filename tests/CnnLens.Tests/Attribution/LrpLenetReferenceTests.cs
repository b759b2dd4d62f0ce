using CnnLens.Attribution;
using CnnLens.Tests.Support;
using Xunit;

namespace CnnLens.Tests.Attribution;

/// <summary>
/// The composite (flat first layer, z-plus conv, epsilon dense, winner-takes-all max pooling) on the
/// LeNet fixture against a naive double-precision LRP written here from the definitions, with its
/// own forward pass: conv1 5x5 → ReLU → maxpool 2 → conv2 5x5 → ReLU → maxpool 2 → fc1 → ReLU → fc2.
/// </summary>
public class LrpLenetReferenceTests
{
    [Fact]
    public void CompositeMatchesNaiveReferenceOnLenet()
    {
        var model = EngineFixtures.Load("lenet");
        var input = EngineFixtures.Read("lenet", "input_b1");
        int target = EngineFixtures.Target("lenet");
        var weights = model.Onnx.Graph.Initializers;
        double[] W(string name) => weights[name].Data.Select(v => (double)v).ToArray();
        var (w1, b1, w2, b2) = (W("conv1.weight"), W("conv1.bias"), W("conv2.weight"), W("conv2.bias"));
        var (f1, c1, f2, c2) = (W("fc1.weight"), W("fc1.bias"), W("fc2.weight"), W("fc2.bias"));
        var x = input.Data.Select(v => (double)v).ToArray();

        // Forward.
        var z1 = Conv(x, 1, 28, w1, b1, 6);                  // [6,24,24]
        var a1 = z1.Select(v => Math.Max(v, 0)).ToArray();
        var (p1, arg1) = MaxPool(a1, 6, 24);                 // [6,12,12]
        var z2 = Conv(p1, 6, 12, w2, b2, 16);                // [16,8,8]
        var a2 = z2.Select(v => Math.Max(v, 0)).ToArray();
        var (p2, arg2) = MaxPool(a2, 16, 8);                 // [16,4,4] = 256
        var h = Dense(p2, f1, c1, 64);
        var ha = h.Select(v => Math.Max(v, 0)).ToArray();
        var logits = Dense(ha, f2, c2, 10);

        // Relevance.
        var r = new double[10];
        r[target] = logits[target];
        r = EpsilonDense(ha, f2, logits, r);
        r = EpsilonDense(p2, f1, h, r);
        r = Unpool(r, arg2, a2.Length);
        r = ZPlusConv(p1, 6, 12, w2, 16, r);
        r = Unpool(r, arg1, a1.Length);
        r = FlatConv(28, 6, r);

        var actual = new LayerwiseRelevancePropagation().Attribute(model, input, [target]).Values.Data;
        double scale = r.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int i = 0; i < r.Length; i++)
            Assert.True(Math.Abs(actual[i] - r[i]) <= 1e-3 * scale, $"pixel {i}: {actual[i]} vs reference {r[i]}");
    }

    private static double[] Conv(double[] x, int channels, int size, double[] w, double[] b, int outChannels)
    {
        int o = size - 4;
        var z = new double[outChannels * o * o];
        for (int k = 0; k < outChannels; k++)
            for (int i = 0; i < o; i++)
                for (int j = 0; j < o; j++)
                {
                    double sum = b[k];
                    for (int c = 0; c < channels; c++)
                        for (int u = 0; u < 5; u++)
                            for (int v = 0; v < 5; v++)
                                sum += w[((k * channels + c) * 5 + u) * 5 + v] * x[(c * size + i + u) * size + j + v];
                    z[(k * o + i) * o + j] = sum;
                }
        return z;
    }

    private static (double[] Pooled, int[] Winner) MaxPool(double[] a, int channels, int size)
    {
        int o = size / 2;
        var pooled = new double[channels * o * o];
        var winner = new int[pooled.Length];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < o; i++)
                for (int j = 0; j < o; j++)
                {
                    int best = -1;
                    for (int u = 0; u < 2; u++)
                        for (int v = 0; v < 2; v++)
                        {
                            int index = (c * size + 2 * i + u) * size + 2 * j + v;
                            if (best < 0 || a[index] > a[best]) best = index;
                        }
                    pooled[(c * o + i) * o + j] = a[best];
                    winner[(c * o + i) * o + j] = best;
                }
        return (pooled, winner);
    }

    private static double[] Dense(double[] x, double[] w, double[] b, int outputs)
    {
        var y = new double[outputs];
        for (int k = 0; k < outputs; k++)
        {
            y[k] = b[k];
            for (int i = 0; i < x.Length; i++) y[k] += w[k * x.Length + i] * x[i];
        }
        return y;
    }

    /// <summary>R_i = x_i Σ_k w_ki R_k / (z_k + ε sign z_k), z including the bias.</summary>
    private static double[] EpsilonDense(double[] x, double[] w, double[] z, double[] relevance)
    {
        var result = new double[x.Length];
        for (int k = 0; k < z.Length; k++)
        {
            double s = relevance[k] / (z[k] + (z[k] >= 0 ? 1e-6 : -1e-6));
            for (int i = 0; i < x.Length; i++) result[i] += x[i] * w[k * x.Length + i] * s;
        }
        return result;
    }

    private static double[] Unpool(double[] relevance, int[] winner, int length)
    {
        var result = new double[length];
        for (int i = 0; i < relevance.Length; i++) result[winner[i]] += relevance[i];
        return result;
    }

    /// <summary>Inputs are non-negative here, so z⁺ = Σ W⁺x without bias and R_in = x Σ W⁺ R/z⁺.</summary>
    private static double[] ZPlusConv(double[] x, int channels, int size, double[] w, int outChannels, double[] relevance)
    {
        int o = size - 4;
        var result = new double[x.Length];
        for (int k = 0; k < outChannels; k++)
            for (int i = 0; i < o; i++)
                for (int j = 0; j < o; j++)
                {
                    double z = 0;
                    for (int c = 0; c < channels; c++)
                        for (int u = 0; u < 5; u++)
                            for (int v = 0; v < 5; v++)
                                z += Math.Max(w[((k * channels + c) * 5 + u) * 5 + v], 0) * x[(c * size + i + u) * size + j + v];
                    if (z == 0) continue;
                    double s = relevance[(k * o + i) * o + j] / z;
                    for (int c = 0; c < channels; c++)
                        for (int u = 0; u < 5; u++)
                            for (int v = 0; v < 5; v++)
                            {
                                int index = (c * size + i + u) * size + j + v;
                                result[index] += x[index] * Math.Max(w[((k * channels + c) * 5 + u) * 5 + v], 0) * s;
                            }
                }
        return result;
    }

    /// <summary>Flat: each output's relevance split evenly over its 25 input pixels.</summary>
    private static double[] FlatConv(int size, int outChannels, double[] relevance)
    {
        int o = size - 4;
        var result = new double[size * size];
        for (int k = 0; k < outChannels; k++)
            for (int i = 0; i < o; i++)
                for (int j = 0; j < o; j++)
                    for (int u = 0; u < 5; u++)
                        for (int v = 0; v < 5; v++)
                            result[(i + u) * size + j + v] += relevance[(k * o + i) * o + j] / 25;
        return result;
    }
}
