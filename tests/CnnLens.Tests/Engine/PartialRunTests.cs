using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary><see cref="CnnLens.Graph.Model.BorrowForwardUpTo"/>: only the layers a tensor depends on run, with the full pass's numbers.</summary>
public class PartialRunTests
{
    [Fact]
    public void Layers_up_to_the_tensor_equal_the_full_pass_and_later_ones_do_not_run()
    {
        // resnet18_view flattens through a Shape→Gather→Concat→Reshape chain: a partial run must not
        // leave that chain's shape values half-cached for the full runs that follow.
        var model = EngineFixtures.LoadFresh("resnet18_view");
        var x = EngineFixtures.Read("resnet18_view", "input_b1");
        string layer = model.Graph.Nodes.Where(n => n.OpType == "Relu").ElementAt(3).Outputs[0];
        float[] partialLayer;
        using (var partial = model.BorrowForwardUpTo(x, [layer]))
        {
            partialLayer = partial.Values[model.Graph.SlotOf(layer)]!.Data.ToArray();
            Assert.Null(partial.Values[model.Graph.SlotOf(model.LogitsName)]);
        }

        // The partial run came first on this model, so the full runs below see what it cached.
        var full = model.ForwardAll(x);
        Assert.Equal(full[model.Graph.SlotOf(layer)]!.Data, partialLayer);
        Compare.RelativeToLargest(EngineFixtures.Read("resnet18_view", "logits_b1").Data, model.Predict(x).Data, 1e-4, "logits after a partial run");
    }
}
