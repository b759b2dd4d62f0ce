using CnnLens.Graph;
using CnnLens.Onnx;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

public class ExecutorTests
{
    [Fact]
    public void Shape_subgraph_of_a_view_flatten_is_folded_and_repeated_runs_at_several_batch_sizes_agree()
    {
        var model = EngineFixtures.Load("resnet18_view");
        var computed = model.Graph.ComputedTensorNames.ToHashSet();
        var shapeNodes = model.Graph.Nodes.Where(n => n.OpType is "Shape" or "Gather" or "Unsqueeze" or "Concat").ToList();
        Assert.NotEmpty(shapeNodes);
        Assert.All(shapeNodes, n => Assert.DoesNotContain(n.Outputs[0], computed));

        var b1 = EngineFixtures.Read("resnet18_view", "input_b1");
        var b4 = EngineFixtures.Read("resnet18_view", "input_b4");
        for (int repeat = 0; repeat < 2; repeat++)
        {
            Compare.RelativeToLargest(EngineFixtures.Read("resnet18_view", "logits_b1").Data, model.Predict(b1).Data, 1e-4);
            Compare.RelativeToLargest(EngineFixtures.Read("resnet18_view", "logits_b4").Data, model.Predict(b4).Data, 1e-4);
        }
    }

    [Fact]
    public void Kept_tensors_are_returned_with_their_values_and_others_are_not()
    {
        var model = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        string relu = model.Graph.Nodes.First(n => n.OpType == "Relu").Outputs[0];
        var result = model.Forward(x, [relu]);
        Assert.True(result.Tensors.ContainsKey(relu));
        Assert.All(result[relu].Data, v => Assert.True(v >= 0));
        Assert.Equal(2, result.Tensors.Count); // the kept tensor and the output
        Assert.Throws<CnnLensException>(() => result[model.Graph.Nodes.First(n => n.OpType == "Conv").Outputs[0]]);
    }

    [Fact]
    public void Constant_subgraphs_are_folded_at_load()
    {
        // y = x + (a * b) with a, b constants: the Mul runs once at load, only the Add remains.
        var model = Model.FromOnnx(new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(2, null)] } },
                Outputs = { new OnnxValueInfo { Name = "y" } },
                Initializers = { ["a"] = new Tensor([2], [2, 3]), ["b"] = new Tensor([2], [5, 7]) },
                Nodes =
                {
                    new OnnxNode { Name = "mul", OpType = "Mul", Inputs = ["a", "b"], Outputs = ["ab"] },
                    new OnnxNode { Name = "add", OpType = "Add", Inputs = ["x", "ab"], Outputs = ["y"] },
                },
            },
            Opsets = { [""] = 13 },
        });
        Assert.Equal(["add"], model.Graph.Nodes.Select(n => n.Name));
        Assert.Equal([11f, 22f], model.Predict(new Tensor([1, 2], [1, 1])).Data);
    }

    [Fact]
    public void Final_softmax_is_skipped_for_logits()
    {
        var model = Model.FromOnnx(new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(null, "N"), new(3, null)] } },
                Outputs = { new OnnxValueInfo { Name = "p" } },
                Nodes = { new OnnxNode { Name = "softmax", OpType = "Softmax", Inputs = ["x"], Outputs = ["p"] } },
            },
            Opsets = { [""] = 13 },
        });
        Assert.Equal("x", model.LogitsName);
        Assert.Equal([1f, 2f, 3f], model.Predict(new Tensor([1, 3], [1, 2, 3])).Data);
    }

    [Fact]
    public void Reverse_pass_to_an_inner_tensor_equals_the_chain_rule_by_hand()
    {
        // y = relu(x) * w with w = [2, -3]: dy/d relu = w, dy/dx = w where x > 0.
        var model = Model.FromOnnx(new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(2, null)] } },
                Outputs = { new OnnxValueInfo { Name = "y" } },
                Initializers = { ["w"] = new Tensor([2], [2, -3]) },
                Nodes =
                {
                    new OnnxNode { Name = "relu", OpType = "Relu", Inputs = ["x"], Outputs = ["r"] },
                    new OnnxNode { Name = "mul", OpType = "Mul", Inputs = ["r", "w"], Outputs = ["y"] },
                },
            },
            Opsets = { [""] = 13 },
        });
        var values = model.Executor.RunAll(new Tensor([1, 2], [1.5f, -0.5f]));
        var seed = new Tensor([1, 2], [1, 1]);
        var gradients = ReversePass.Run(model.Graph, values, "y", seed, ["r", "x"]);
        Assert.Equal([2f, -3f], gradients["r"].Data);
        Assert.Equal([2f, 0f], gradients["x"].Data);
    }

    [Fact]
    public void Split_without_sizes_divides_into_as_many_parts_as_the_node_has_outputs()
    {
        var model = Model.FromOnnx(new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Inputs = { new OnnxValueInfo { Name = "x", Shape = [new(1, null), new(6, null)] } },
                Outputs = { new OnnxValueInfo { Name = "y" } },
                Nodes =
                {
                    new OnnxNode { Name = "split", OpType = "Split", Inputs = ["x"], Outputs = ["a", "b", "c"], Attributes = Axis1() },
                    new OnnxNode { Name = "mul", OpType = "Mul", Inputs = ["a", "c"], Outputs = ["y"] },
                },
            },
            Opsets = { [""] = 13 },
        });
        Assert.Equal([1f * 5f, 2f * 6f], model.Predict(new Tensor([1, 6], [1, 2, 3, 4, 5, 6])).Data);
    }

    private static OnnxAttributes Axis1()
    {
        var attributes = new OnnxAttributes();
        attributes.Set("axis", 1L);
        return attributes;
    }
}
