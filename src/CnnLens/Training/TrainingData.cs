using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>
/// A labelled image set held in memory: <see cref="Images"/> is [N, C, H, W] with values in 0..1
/// (what torchvision's ToTensor gives), <see cref="Labels"/> the class index of each image.
/// </summary>
public sealed class TrainingData
{
    public TrainingData(Tensor images, int[] labels, IReadOnlyList<string> classNames)
    {
        if (images.Rank != 4)
            throw new DataFormatException($"training images must be a [N, C, H, W] tensor, got {images}");
        if (images.Dim(0) != labels.Length)
            throw new DataFormatException($"{images.Dim(0)} images but {labels.Length} labels");
        if (classNames.Count < 2)
            throw new DataFormatException($"training needs at least two classes, got {classNames.Count}");
        foreach (int label in labels)
            if ((uint)label >= (uint)classNames.Count)
                throw new DataFormatException($"label {label} is outside the {classNames.Count} classes");
        Images = images;
        Labels = labels;
        ClassNames = classNames;
    }

    public Tensor Images { get; }

    public int[] Labels { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Labels.Length;

    public int Channels => Images.Dim(1);

    public int Height => Images.Dim(2);

    public int Width => Images.Dim(3);

    /// <summary>Values in one image.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The images at <paramref name="indices"/>, in that order (a copy).</summary>
    public TrainingData Subset(IReadOnlyList<int> indices)
    {
        int size = ImageSize;
        var images = new Tensor(indices.Count, Channels, Height, Width);
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(Images.Data, (long)indices[i] * size, images.Data, (long)i * size, size);
            labels[i] = Labels[indices[i]];
        }
        return new TrainingData(images, labels, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images (all when there are fewer).</summary>
    public TrainingData Take(int count) =>
        count >= Count ? this : Subset(Enumerable.Range(0, count).ToArray());
}
