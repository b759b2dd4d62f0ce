using CnnLens.Attribution;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Attribution;

/// <summary>Input gradients of the target logit equal PyTorch autograd's within 1e-4 of the largest magnitude.</summary>
public class GradientParityTests
{
    public static IEnumerable<object[]> Models => EngineFixtures.Names;

    [Theory]
    [MemberData(nameof(Models))]
    public void Saliency_equals_pytorch_input_gradient(string name)
    {
        var model = EngineFixtures.Load(name);
        var result = new Saliency().Attribute(model, EngineFixtures.Read(name, "input_b1"), [EngineFixtures.Target(name)]);
        Compare.RelativeToLargest(EngineFixtures.Read(name, "grad_b1").Data, result.Values.Data, 1e-4, $"{name} input gradient");
    }
}
