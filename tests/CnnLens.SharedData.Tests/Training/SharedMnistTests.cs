using CnnLens.Tests.Support;
using CnnLens.Training;

namespace CnnLens.SharedData.Tests.Training;

/// <summary>
/// Needs ../shared/data/mnist: the IDX reader on the real (gzipped) files. The expected numbers are
/// MNIST's published facts: 10,000 test digits whose first labels are 7, 2, 1 and whose classes
/// hold 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974 and 1009 digits.
/// </summary>
public class SharedMnistTests
{
    [Fact]
    public void Test_split_has_mnists_published_size_labels_and_class_counts()
    {
        var test = MnistData.Load(RepositoryPaths.Shared("data", "mnist"), MnistSplit.Test);
        Assert.Equal([10000, 1, 28, 28], test.Images.ShapeArray);
        Assert.Equal([7, 2, 1], test.Labels[..3]);
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
            Enumerable.Range(0, 10).Select(c => test.Labels.Count(l => l == c)));
        Assert.InRange(test.Images.Data.Min(), 0f, 0f);
        Assert.InRange(test.Images.Data.Max(), 1f, 1f);
    }

    [Fact]
    public void Training_split_reads_the_ten_thousand_digit_files()
    {
        var train = MnistData.Load(RepositoryPaths.Shared("data", "mnist"));
        Assert.Equal(10000, train.Count);
        Assert.Equal(10, train.Labels.Distinct().Count());
    }
}
