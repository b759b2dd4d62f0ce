using CnnLens.Tensors;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Engine;

/// <summary>The region model's logits are the hand formula, and pixels outside the box do not move them.</summary>
public class RegionModelTests
{
    [Fact]
    public void Class0IsTheMeanOfTheWeightedPixelsInsideTheBox()
    {
        var model = TinyModels.Region();
        var x = new Tensor(1, 3, 32, 32);
        var (top, left, _, _) = TinyModels.RegionBox;
        x[0, 0, top, left] = 2f; x[0, 1, top, left] = 4f; x[0, 2, top, left] = -8f; // 2 + 2 - 2 = 2
        x[0, 0, top + 7, left + 7] = 1f;                                                 // 1
        x[0, 0, 0, 0] = 100f;                                                            // outside: ignored
        var logits = model.Predict(x);
        Assert.Equal(3f / 1024, logits[0, 0], 6);
        Assert.Equal(0.1f, logits[0, 1], 6);
    }
}
