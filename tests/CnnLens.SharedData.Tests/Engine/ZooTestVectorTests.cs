using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tests.Support;

namespace CnnLens.SharedData.Tests.Engine;

/// <summary>
/// Needs ../shared: the real pretrained models reproduce the ONNX model zoo's own test vectors.
/// SqueezeNet's weights are the zoo's exactly, so its logits must match within 1e-4 of the largest
/// logit. MobileNetV2's final weight was recovered from an int8 model (see its MANIFEST), so the zoo
/// outputs are matched only to the 0.1 absolute the MANIFEST documents.
/// </summary>
public class ZooTestVectorTests
{
    private static readonly Lazy<Model> SqueezeNet = new(() => Model.Load(RepositoryPaths.Shared("models", "squeezenet1.1.onnx")));
    private static readonly Lazy<Model> MobileNet = new(() => Model.Load(RepositoryPaths.Shared("models", "mobilenetv2-1.0.onnx")));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SqueezeNet_matches_zoo_outputs_within_1e4_of_largest_logit(int vector)
    {
        var (input, expected) = Vector("squeezenet1.1", vector);
        var logits = SqueezeNet.Value.Predict(input);
        Assert.True(Compare.MaxAbsDifference(logits.Data, expected.Data) <= 1e-4 * Compare.MaxAbs(expected.Data),
            $"max |Δ| = {Compare.MaxAbsDifference(logits.Data, expected.Data)}, largest logit {Compare.MaxAbs(expected.Data)}");
        Assert.Equal(Compare.TopK(expected.Data, 5), Compare.TopK(logits.Data, 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MobileNetV2_matches_zoo_outputs_within_the_int8_weight_error(int vector)
    {
        var (input, expected) = Vector("mobilenetv2", vector);
        var logits = MobileNet.Value.Predict(input);
        Assert.True(Compare.MaxAbsDifference(logits.Data, expected.Data) <= 0.1, $"max |Δ| = {Compare.MaxAbsDifference(logits.Data, expected.Data)}");
        Assert.Equal(Compare.TopK(expected.Data, 5), Compare.TopK(logits.Data, 5));
    }

    [Fact]
    public void SqueezeNet_batch_of_three_equals_three_single_runs()
    {
        var inputs = Enumerable.Range(0, 3).Select(i => Vector("squeezenet1.1", i).Input).ToArray();
        var batch = new CnnLens.Tensors.Tensor([3, 3, 224, 224], inputs.SelectMany(t => t.Data).ToArray());
        var logits = SqueezeNet.Value.Predict(batch);
        for (int i = 0; i < 3; i++)
        {
            var single = SqueezeNet.Value.Predict(inputs[i]);
            Assert.True(Compare.MaxAbsDifference(single.Data, logits.Data.AsSpan(i * 1000, 1000).ToArray()) <= 1e-4 * Compare.MaxAbs(single.Data));
        }
    }

    private static (CnnLens.Tensors.Tensor Input, CnnLens.Tensors.Tensor Expected) Vector(string model, int index) =>
        (NpyFile.Read(RepositoryPaths.Shared("models", "reference", $"{model}_zoo_input_{index}.npy")),
         NpyFile.Read(RepositoryPaths.Shared("models", "reference", $"{model}_zoo_output_{index}.npy")));
}
