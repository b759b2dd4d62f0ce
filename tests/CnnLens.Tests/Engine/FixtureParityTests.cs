using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>
/// Logits of every fixture architecture (resnet18, mobilenet_v2, squeezenet1_1, vgg11_bn, googlenet,
/// densenet121, efficientnet_b0, lenet; opsets 7 to 14) equal PyTorch's within 1e-4 of the largest logit.
/// </summary>
public class FixtureParityTests
{
    public static IEnumerable<object[]> Models => EngineFixtures.Names;

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_match_pytorch_at_batch_1(string name)
    {
        var logits = EngineFixtures.Load(name).Predict(EngineFixtures.Read(name, "input_b1"));
        Compare.RelativeToLargest(EngineFixtures.Read(name, "logits_b1").Data, logits.Data, 1e-4, $"{name} logits");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_match_pytorch_at_batch_4(string name)
    {
        var logits = EngineFixtures.Load(name).Predict(EngineFixtures.Read(name, "input_b4"));
        Compare.RelativeToLargest(EngineFixtures.Read(name, "logits_b4").Data, logits.Data, 1e-4, $"{name} logits");
    }
}
