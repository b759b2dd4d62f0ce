using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>
/// Activation and gradient buffers are recycled between passes: nothing a caller keeps, nothing a
/// shared forward pass holds, and nothing a reverse pass returns may ever be handed out again, and
/// pooled passes give PyTorch's numbers bit for bit the same as unpooled ones.
/// </summary>
public class TensorPoolTests
{
    [Fact]
    public void A_buffer_goes_back_only_when_its_last_holder_lets_go()
    {
        var pool = new TensorPool();
        var scope = pool.NewScope();
        var a = new Tensor([2, 3], scope.Rent(6));
        var view = a.Reshape(6); // same buffer under another shape
        scope.Hold(a);
        scope.Hold(view);
        scope.Release(a);
        Assert.Equal(0, pool.FreeValues);
        scope.Release(view);
        Assert.Equal(6, pool.FreeValues);
        scope.Release(view); // already back: a second release must not give it twice
        Assert.Equal(6, pool.FreeValues);
        var again = scope.Rent(6);
        Assert.Same(a.Data, again);
        Assert.Equal(0, pool.FreeValues);
    }

    [Fact]
    public void Releasing_a_finished_pass_returns_what_slots_held_and_leaves_temporaries_alone()
    {
        var pool = new TensorPool();
        var scope = pool.NewScope();
        var held = new Tensor([5], scope.Rent(5));
        scope.Hold(held);
        var temporary = scope.Rent(7); // e.g. a value an operator computed and kept for itself
        scope.ReleaseAll();
        Assert.Equal(5, pool.FreeValues);
        Assert.NotSame(temporary, pool.NewScope().Rent(7));
    }

    [Fact]
    public void Buffers_the_scope_did_not_rent_are_never_taken()
    {
        var pool = new TensorPool();
        var scope = pool.NewScope();
        var foreign = new Tensor(4);
        scope.Hold(foreign);
        scope.Release(foreign);
        scope.ReleaseIfUnheld(foreign);
        var fromOtherScope = new Tensor([4], pool.NewScope().Rent(4));
        scope.Release(fromOtherScope);
        scope.ReleaseAll();
        Assert.Equal(0, pool.FreeValues);
    }

    [Fact]
    public void Tensors_are_plain_allocations_outside_a_scope_and_rented_inside()
    {
        var scope = new TensorPool().NewScope();
        Assert.False(scope.Owns(Tensor.Uninitialized([3])));
        using (scope.Activate())
        {
            Assert.True(scope.Owns(Tensor.Uninitialized([3])));
            using (TensorPoolScope.Suspend()) Assert.False(scope.Owns(Tensor.Uninitialized([3])));
        }
        Assert.Null(TensorPoolScope.Current);
    }

    [Fact]
    public void Kept_tensors_and_returned_gradients_stay_intact_through_later_pooled_passes()
    {
        var model = EngineFixtures.Load("resnet18");
        var x = EngineFixtures.Read("resnet18", "input_b1");
        var other = EngineFixtures.Read("resnet18", "input_b4");
        string relu = model.Graph.Nodes.First(n => n.OpType == "Relu").Outputs[0];
        string add = model.Graph.Nodes.Last(n => n.OpType == "Add").Outputs[0];
        var kept = model.Forward(x, [relu, add]);
        var keptCopies = kept.Tensors.ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Data.Clone());
        var gradient = new Saliency().Attribute(model, x, [EngineFixtures.Target("resnet18")]).Values;
        var gradientCopy = (float[])gradient.Data.Clone();

        for (int i = 0; i < 3; i++)
        {
            model.Predict(other);
            new Saliency().Attribute(model, other);
            new GradCam(null).Attribute(model, other);
        }

        foreach (var (name, values) in keptCopies) Assert.Equal(values, kept[name].Data);
        Assert.Equal(gradientCopy, gradient.Data);
        Compare.RelativeToLargest(EngineFixtures.Read("resnet18", "logits_b1").Data, kept.Output.Data, 1e-4);
        Compare.RelativeToLargest(EngineFixtures.Read("resnet18", "grad_b1").Data, gradient.Data, 1e-4);
    }

    [Fact]
    public void A_shared_forward_pass_is_never_recycled_by_the_methods_that_borrow_it()
    {
        var model = EngineFixtures.Load("resnet18_view");
        var x = EngineFixtures.Read("resnet18_view", "input_b1");
        var other = EngineFixtures.Read("resnet18_view", "input_b4");
        int target = EngineFixtures.Target("resnet18_view");
        var unshared = model.Executor.RunAll(x);
        using (model.ShareForward(x))
        {
            var first = new Saliency().Attribute(model, x, [target]).Values;
            new GradCam(null).Attribute(model, x);
            for (int i = 0; i < 2; i++)
            {
                new Saliency().Attribute(model, other); // pooled passes of another input in between
                model.Predict(other);
            }
            var shared = model.ForwardAll(x);
            for (int s = 0; s < shared.Length; s++)
                if (unshared[s] is { } expected) Assert.Equal(expected.Data, shared[s]!.Data);
            var second = new Saliency().Attribute(model, x, [target]).Values;
            Assert.Equal(first.Data, second.Data);
            Compare.RelativeToLargest(EngineFixtures.Read("resnet18_view", "grad_b1").Data, second.Data, 1e-4);
        }
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("squeezenet1_1")]
    [InlineData("mobilenet_v2")]
    public void Pooled_passes_equal_unpooled_ones_bit_for_bit(string name)
    {
        var model = EngineFixtures.Load(name);
        var x = EngineFixtures.Read(name, "input_b4");
        int logits = model.Graph.SlotOf(model.LogitsName);
        var plain = model.Executor.RunAll(x);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(plain[logits]!.Data, model.Predict(x).Data);
            using var pooled = model.Executor.RunAllPooled(x);
            for (int s = 0; s < plain.Length; s++)
                if (plain[s] is { } expected) Assert.Equal(expected.Data, pooled.Values[s]!.Data);
        }
        Compare.RelativeToLargest(EngineFixtures.Read(name, "logits_b4").Data, model.Predict(x).Data, 1e-4);
    }

    [Fact]
    public void Relu_and_Add_write_in_place_only_over_inputs_nobody_keeps()
    {
        var model = EngineFixtures.Load("resnet18");
        var x = EngineFixtures.Read("resnet18", "input_b4");
        var plain = model.Executor.RunAll(x);
        var relu = model.Graph.Nodes.First(n => n.OpType == "Relu");
        var add = model.Graph.Nodes.First(n => n.OpType == "Add");
        string[] keep = [relu.Inputs[0], add.Inputs[0], add.Inputs[1]];
        for (int i = 0; i < 2; i++)
        {
            var result = model.Forward(x, keep);
            foreach (var name in keep) Assert.Equal(plain[model.Graph.SlotOf(name)]!.Data, result[name].Data);
            Assert.Contains(result[relu.Inputs[0]].Data, v => v < 0); // still the values before the ReLU
            Assert.Equal(plain[model.Graph.SlotOf(model.LogitsName)]!.Data, result.Output.Data);
        }
    }

    [Fact]
    public void A_steady_stream_of_forward_passes_reuses_its_activation_buffers()
    {
        var model = Model.Load(RepositoryPaths.Fixture("engine", "resnet18.onnx")); // own pool, not shared with other tests
        var x = Tensor.Filled([16, 3, 64, 64], 0.5f); // a batch large enough that activations dwarf per-node bookkeeping
        long activationBytes = model.DescribeTensors(x).Where(t => t.OpType != "Input").Sum(t => 4L * t.Shape.Aggregate(1L, (p, d) => p * d));
        model.Predict(x);
        model.Predict(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(x);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < activationBytes / 4, $"one forward allocated {allocated} bytes; its activations total {activationBytes}");
        Assert.True(model.Graph.Pool.FreeValues > 0);
    }
}
