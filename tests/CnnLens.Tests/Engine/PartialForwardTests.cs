using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>
/// PartialForward runs only what is downstream of a tensor with a replaced value; checked by hand on
/// a model whose residual branch bypasses the layer, and against full forwards of the fixture models.
/// </summary>
public class PartialForwardTests
{
    /// <summary>
    /// x [N,1,2,2] → a = Conv1x1(x; w = [1, −1]) (so a₀ = x, a₁ = −x) → layer = Conv1x1(a; [[1,2],[0,1]])
    /// → b = Relu(layer) → s = b + a (the bypass) → GlobalAveragePool → Reshape to [N,2] with a shape
    /// computed from x (Shape → Gather → Concat), so logits_c = mean(relu(layer_c)) + mean(a_c).
    /// </summary>
    private static Model Residual()
    {
        var onnx = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "residual",
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(1, null), new(2, null), new(2, null)] } },
                Outputs = { new OnnxValueInfo { Name = "logits" } },
                Initializers =
                {
                    ["w1"] = Tensor.FromValues([2, 1, 1, 1], 1f, -1f),
                    ["w2"] = Tensor.FromValues([2, 2, 1, 1], 1f, 2f, 0f, 1f),
                    ["zero"] = Tensor.FromLongs([1], [0]),
                    ["axes"] = Tensor.FromLongs([1], [0]),
                    ["minus_one"] = Tensor.FromLongs([1], [-1]),
                },
                Nodes =
                {
                    new OnnxNode { Name = "conv1", OpType = "Conv", Inputs = ["x", "w1"], Outputs = ["a"] },
                    new OnnxNode { Name = "conv2", OpType = "Conv", Inputs = ["a", "w2"], Outputs = ["layer"] },
                    new OnnxNode { Name = "relu", OpType = "Relu", Inputs = ["layer"], Outputs = ["b"] },
                    new OnnxNode { Name = "bypass", OpType = "Add", Inputs = ["b", "a"], Outputs = ["s"] },
                    new OnnxNode { Name = "pool", OpType = "GlobalAveragePool", Inputs = ["s"], Outputs = ["p"] },
                    new OnnxNode { Name = "shape", OpType = "Shape", Inputs = ["x"], Outputs = ["x_shape"] },
                    new OnnxNode { Name = "batch", OpType = "Gather", Inputs = ["x_shape", "zero"], Outputs = ["n"], Attributes = Axis0() },
                    new OnnxNode { Name = "concat", OpType = "Concat", Inputs = ["n", "minus_one"], Outputs = ["target_shape"], Attributes = Axis0() },
                    new OnnxNode { Name = "flatten", OpType = "Reshape", Inputs = ["p", "target_shape"], Outputs = ["logits"] },
                },
            },
            Opsets = { [""] = 13 },
        };
        return Model.FromOnnx(onnx, "residual");
    }

    private static OnnxAttributes Axis0()
    {
        var attributes = new OnnxAttributes();
        attributes.Set("axis", 0L);
        return attributes;
    }

    private static readonly Tensor Image = Tensor.FromValues([1, 1, 2, 2], 1, 2, 3, 4);

    [Fact]
    public void Unchanged_value_gives_the_full_forward_by_hand()
    {
        var model = Residual();
        var values = model.ForwardAll(Image);
        var partial = new PartialForward(model, "layer");
        // layer₀ = a₀ + 2a₁ = −x, layer₁ = a₁ = −x: both rectify to 0, so logits = (mean x, −mean x).
        var logits = partial.Run(values, values[model.Graph.SlotOf("layer")]!, "logits");
        Assert.Equal([1, 2], logits.ShapeArray);
        Assert.Equal([2.5f, -2.5f], logits.Data);
        Assert.Equal(model.Predict(Image).Data, logits.Data);
    }

    [Fact]
    public void Replaced_rows_continue_their_image_with_the_cached_bypass()
    {
        var model = Residual();
        var partial = new PartialForward(model, "layer");
        Assert.Equal(["x", "a"], partial.CachedInputs.OrderByDescending(n => n).ToArray());
        Assert.Equal(7, partial.NodeCount); // everything but conv1 and conv2

        var twoImages = Batch.Concat(Image, Tensor.FromValues([1, 1, 2, 2], 2, 4, 6, 8)); // mean a: (2.5, −2.5) and (5, −5)
        var values = model.ForwardAll(twoImages);
        var replacement = Tensor.FromValues([3, 2, 2, 2],
            1, -1, 2, 0, /**/ -2, -2, -2, -2,   // relu means 0.75 and 0
            4, 4, 4, 4, /**/ 1, 2, 3, 6,        // 4 and 3
            0, 0, 0, 8, /**/ -1, 0, 0, 0);      // 2 and 0
        var logits = partial.Run(values, replacement, "logits", [1, 0, 1]);
        Assert.Equal([3, 2], logits.ShapeArray);
        Assert.Equal([0.75f + 5, 0 - 5, 4 + 2.5f, 3 - 2.5f, 2 + 5, 0 - 5], logits.Data);
    }

    [Fact]
    public void Replacing_the_layer_equals_the_model_cut_there_on_the_reduced_resnet18()
    {
        var model = EngineFixtures.Load("resnet18");
        var x = EngineFixtures.Read("resnet18", "input_b1");
        const string layer = "/layer3/layer3.1/relu_1/Relu_output_0";
        var values = model.ForwardAll(x);
        var partial = new PartialForward(model, layer);
        Assert.Empty(partial.CachedInputs); // layer4.0's downsample branch reads the layer itself: nothing bypasses it
        var logits = partial.Run(values, values[model.Graph.SlotOf(layer)]!, model.LogitsName);
        Compare.RelativeToLargest(model.Predict(x).Data, logits.Data, 1e-6, "unchanged");

        // The same ONNX graph with the layer as its input: everything before the cut is dropped.
        var cut = Model.FromOnnx(new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "cut",
                Nodes = model.Onnx.Graph.Nodes,
                Initializers = model.Onnx.Graph.Initializers,
                Inputs = { new OnnxValueInfo { Name = layer } },
                Outputs = model.Onnx.Graph.Outputs,
            },
            Opsets = model.Onnx.Opsets,
        }, "cut");
        var original = values[model.Graph.SlotOf(layer)]!;
        var changed = new Tensor([3, .. original.ShapeArray[1..]]);
        for (int i = 0; i < original.Length; i++)
        {
            changed.Data[i] = 0.5f * original.Data[i];
            changed.Data[original.Length + i] = 2 * original.Data[i];
            changed.Data[2 * original.Length + i] = original.Data[(i * 7) % original.Length];
        }
        Compare.RelativeToLargest(cut.Predict(changed).Data, partial.Run(values, changed, model.LogitsName, [0, 0, 0]).Data, 1e-6, "cut model");
    }

    [Fact]
    public void A_reshape_whose_shape_comes_from_a_downstream_tensor_follows_the_new_batch()
    {
        // resnet18_view flattens with x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat → Reshape.
        var model = EngineFixtures.Load("resnet18_view");
        var x = EngineFixtures.Read("resnet18_view", "input_b1");
        var layer = model.SuggestedCamLayer(x)!;
        var values = model.ForwardAll(x);
        var value = values[model.Graph.SlotOf(layer)]!;
        var partial = new PartialForward(model, layer);
        var logits = partial.Run(values, Batch.Concat(value, value, value), model.LogitsName, [0, 0, 0]);
        var expected = model.Predict(x);
        Assert.Equal([3, expected.Dim(1)], logits.ShapeArray);
        for (int row = 0; row < 3; row++)
            Compare.RelativeToLargest(expected.Data, logits.Data.AsSpan(row * expected.Dim(1), expected.Dim(1)), 1e-6, $"row {row}");
    }

    [Fact]
    public void Errors_name_the_problem()
    {
        var model = Residual();
        var values = model.ForwardAll(Image);
        Assert.Throws<CnnLensException>(() => new PartialForward(model, "layre"));
        Assert.Throws<InvalidOptionException>(() => new PartialForward(model, "w1"));
        var partial = new PartialForward(model, "layer");
        Assert.Throws<ShapeMismatchException>(() => partial.Run(values, new Tensor(1, 3, 2, 2), "logits"));
        Assert.Contains("not downstream", Assert.Throws<InvalidOptionException>(() => partial.Run(values, new Tensor(1, 2, 2, 2), "w2")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => partial.Run(values, new Tensor(1, 2, 2, 2), "logits", [1]));
    }
}
