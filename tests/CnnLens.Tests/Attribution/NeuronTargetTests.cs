using CnnLens.Attribution;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

/// <summary>A layer channel or neuron as the explained quantity (Captum's neuron attributions), checked by hand and by finite differences.</summary>
public class NeuronTargetTests
{
    /// <summary>A positive image: 1 in channel 0, 2 in channel 1, 4 in channel 2, so masked[0] = relu(1 + 1 + 1) = 3 inside the box.</summary>
    private static Tensor PositiveImage()
    {
        var x = new Tensor(1, 3, 32, 32);
        for (int c = 0; c < 3; c++) x.Data.AsSpan(c * 1024, 1024).Fill(1 << c);
        return x;
    }

    [Fact]
    public void TheGradientOfOneNeuronIsItsWeightsAtItsPixel()
    {
        var model = TinyModels.Region();
        var method = new Saliency { Neuron = new NeuronTarget("masked", 0, 10, 18) };
        var result = method.Attribute(model, PositiveImage());
        float[] weights = [1f, 0.5f, 0.25f];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    Assert.Equal(y == 10 && x == 18 ? weights[c] : 0f, result.Values[0, c, y, x]);
        Assert.Equal([0], result.Targets);
        Assert.Equal("neuron (channel 0, y 10, x 18) of masked", result.Neuron!.ToString());
    }

    [Fact]
    public void AChannelTargetSumsItsPositionsSoItsGradientCoversTheBox()
    {
        var model = TinyModels.Region();
        var result = new InputXGradient { Neuron = new NeuronTarget("masked", 0) }.Attribute(model, PositiveImage());
        var (top, left, height, width) = TinyModels.RegionBox;
        double sum = result.Values.Data.Sum(v => (double)v);
        Assert.Equal(3.0 * height * width, sum, 4); // input × gradient of a linear-in-the-box channel sums to its value
        Assert.Equal(1f, result.Values[0, 0, top, left]);
        Assert.Equal(0f, result.Values[0, 0, top - 1, left]);
    }

    [Fact]
    public void TheInputGradientOfALenetChannelMatchesFiniteDifferences()
    {
        var model = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        string layer = model.DescribeTensors(x).First(t => t.OpType == "Relu").Name;
        var neuron = new NeuronTarget(layer, 2);
        var gradient = new Saliency { Neuron = neuron }.Attribute(model, x).Values;

        double Value(Tensor input) => neuron.Scores(model.Forward(input, [layer])[layer])[0];
        const float step = 1e-2f;
        int checkedPixels = 0;
        double scale = gradient.Data.Max(v => Math.Abs(v));
        for (int i = 0; i < x.Length; i += 37)
        {
            var plus = x.Clone(); plus.Data[i] += step;
            var minus = x.Clone(); minus.Data[i] -= step;
            double numeric = (Value(plus) - Value(minus)) / (2 * step);
            Assert.True(Math.Abs(numeric - gradient.Data[i]) <= 2e-3 * scale + 1e-3 * Math.Abs(numeric),
                $"pixel {i}: finite difference {numeric}, gradient {gradient.Data[i]}");
            checkedPixels++;
        }
        Assert.True(checkedPixels > 20);
        Assert.True(scale > 0);
    }

    [Fact]
    public void IntegratedGradientsOfAChannelAreComplete()
    {
        var model = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        string layer = model.DescribeTensors(x).Where(t => t.OpType == "Relu").ElementAt(1).Name;
        var activation = model.Forward(x, [layer])[layer];
        int strongest = Enumerable.Range(0, activation.Dim(1)).MaxBy(c => new NeuronTarget(layer, c).Scores(activation)[0]);
        var neuron = new NeuronTarget(layer, strongest);
        var result = new IntegratedGradients(new IntegratedGradientsOptions { Steps = 200 }) { Neuron = neuron }.Attribute(model, x);
        double change = neuron.Scores(model.Forward(x, [layer])[layer])[0] - neuron.Scores(model.Forward(new Tensor(x.ShapeArray), [layer])[layer])[0];
        Assert.True(Math.Abs(change) > 1e-3, $"change {change}");
        Assert.True(result.ConvergenceDelta![0] < 0.01 * Math.Abs(change), $"delta {result.ConvergenceDelta[0]} vs change {change}");
    }

    [Fact]
    public void SmoothGradWithoutNoiseIsTheNeuronSaliency()
    {
        var model = TinyModels.Region();
        var neuron = new NeuronTarget("masked", 0, 12, 20);
        var plain = new Saliency { Neuron = neuron }.Attribute(model, PositiveImage()).Values;
        var smooth = NoiseTunnel.SmoothGrad(null, new NoiseTunnelOptions { Noise = 0, Samples = 3 });
        smooth.Neuron = neuron;
        Assert.Equal(plain.Data, smooth.Attribute(model, PositiveImage()).Values.Data);
    }

    [Fact]
    public void BadNeuronTargetsAreClearErrors()
    {
        var model = TinyModels.Region();
        Assert.Throws<InvalidOptionException>(() => new GradCam(null) { Neuron = new NeuronTarget("masked", 0) });
        Assert.Throws<InvalidOptionException>(() => new Saliency { Neuron = new NeuronTarget("masked", 2) }.Attribute(model, PositiveImage()));
        Assert.Throws<InvalidOptionException>(() => new Saliency { Neuron = new NeuronTarget("masked", 0, 40, 1) }.Attribute(model, PositiveImage()));
        var e = Assert.ThrowsAny<CnnLensException>(() => new Saliency { Neuron = new NeuronTarget("maskd", 0) }.Attribute(model, PositiveImage()));
        Assert.Contains("masked", e.Message);
    }
}
