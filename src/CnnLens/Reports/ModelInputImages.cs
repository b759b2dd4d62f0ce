using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Reports;

/// <summary>Pictures of inputs given as tensors (--input X.npy), for reports to draw overlays on.</summary>
public static class ModelInputImages
{
    /// <summary>
    /// Renders each entry of an already preprocessed [N,C,H,W] batch: 1 or 3 channels as gray or RGB
    /// with each channel min-max stretched (which undoes a per-channel mean/std), other counts as channel 0 in gray.
    /// </summary>
    public static Image[] FromTensor(Tensor batch)
    {
        if (batch.Rank != 4)
            throw new ShapeMismatchException($"input tensor {batch} is not [N,C,H,W]; reports need an image-shaped input");
        int n = batch.Dim(0), size = batch.Length / Math.Max(n, 1);
        int[] shape = batch.ShapeArray[1..];
        var images = new Image[n];
        for (int i = 0; i < n; i++)
        {
            var entry = new Tensor(shape, batch.Data.AsSpan(i * size, size).ToArray());
            images[i] = shape[0] is 1 or 3
                ? TensorImage.ToImage(entry, TensorNormalization.PerChannel)
                : TensorImage.ChannelImages(entry)[0];
        }
        return images;
    }
}
