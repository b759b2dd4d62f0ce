using CnnLens.Attribution.Perturbation;
using CnnLens.Tensors;

namespace CnnLens.Tests.Attribution.Perturbation;

public class FeatureMaskTests
{
    [Fact]
    public void GridCellsAreNumberedRowByRowWithSmallerCellsAtTheEdges()
    {
        var mask = FeatureMask.Grid(5, 7, 2, 3); // 3 rows x 3 columns of cells
        Assert.Equal(9, mask.Count);
        int[] expectedRow0 = [0, 0, 0, 1, 1, 1, 2];
        int[] expectedRow4 = [6, 6, 6, 7, 7, 7, 8];
        Assert.Equal(expectedRow0, mask.Labels[..7]);
        Assert.Equal(expectedRow4, mask.Labels[28..]);
        Assert.Equal([6, 6, 2, 6, 6, 2, 3, 3, 1], mask.Sizes());
    }

    [Fact]
    public void AnyLabellingIsRenumberedInOrderOfFirstAppearance()
    {
        var mask = FeatureMask.FromTensor(Tensor.FromValues([2, 3], 7, 7, -1, 40, -1, 7));
        Assert.Equal(3, mask.Count);
        Assert.Equal([0, 0, 1, 2, 1, 0], mask.Labels);
    }

    [Fact]
    public void BadMasksAreClearErrors()
    {
        Assert.Throws<DataFormatException>(() => FeatureMask.FromTensor(Tensor.FromValues([1, 2], 0.5f, 1)));
        Assert.Throws<ShapeMismatchException>(() => FeatureMask.FromTensor(new Tensor(2, 2, 2)));
        Assert.Throws<InvalidOptionException>(() => FeatureMask.Grid(4, 4, 0, 2));
        var source = FeatureMaskSource.Fixed(FeatureMask.Grid(4, 4, 2, 2), "m.npy");
        Assert.Throws<ShapeMismatchException>(() => source.For(new Tensor(3, 5, 4)));
    }
}
