using CnnLens.Attribution;
using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>Methods explaining the same image inside a ShareForward scope run the network on it once, with the same numbers.</summary>
public class SharedForwardTests
{
    [Fact]
    public void SeveralMethodsAndPredictRunTheForwardOnce()
    {
        var model = EngineFixtures.LoadFresh("resnet18");
        var x = EngineFixtures.Read("resnet18", "input_b1");
        var alone = new Saliency().Attribute(model, x).Values;
        var camAlone = new GradCam(null).Attribute(model, x).Values;

        long before = model.Executor.Runs;
        Tensor shared, camShared;
        using (model.ShareForward(x))
        {
            shared = new Saliency().Attribute(model, x).Values;
            camShared = new GradCam(null).Attribute(model, x).Values;
            model.Predict(x);
        }
        long forwardsOfX = model.Executor.Runs - before;
        Assert.Equal(alone.Data, shared.Data);
        Assert.Equal(camAlone.Data, camShared.Data);
        Assert.True(forwardsOfX <= 2, $"{forwardsOfX} forward passes; expected the shared one (plus at most one for the suggested CAM layer's shapes)");
    }

    [Fact]
    public void AChangedInputIsNotServedFromTheSharedPass()
    {
        var model = EngineFixtures.Load("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        using var scope = model.ShareForward(x);
        var before = model.Predict(x).Clone();
        for (int i = 0; i < x.Length; i++) x.Data[i] = 2 * x.Data[i] + 0.5f;
        var after = model.Predict(x);
        Assert.NotEqual(before.Data, after.Data);
        Assert.Equal(model.Executor.RunAll(x)[model.Graph.SlotOf(model.LogitsName)]!.Data, after.Data);
    }

    [Fact]
    public void NothingIsSharedAfterTheScopeEnds()
    {
        var model = EngineFixtures.LoadFresh("lenet");
        var x = EngineFixtures.Read("lenet", "input_b1");
        using (model.ShareForward(x)) model.Predict(x);
        long before = model.Executor.Runs;
        model.Predict(x);
        Assert.Equal(before + 1, model.Executor.Runs);
    }
}
