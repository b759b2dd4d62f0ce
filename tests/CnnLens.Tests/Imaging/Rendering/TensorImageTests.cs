using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging.Rendering;

public class TensorImageTests
{
    // Three channels of a 1x2 image: R = [-1, 1], G = [0, 3], B = [2, 2].
    private static Tensor Weights() => Tensor.FromValues([3, 1, 2], -1f, 1f, 0f, 3f, 2f, 2f);

    [Fact]
    public void Per_tensor_normalisation_maps_global_min_to_0_and_max_to_255()
    {
        // Range [-1, 3]: value v -> 255 (v + 1) / 4, rounded.
        var image = TensorImage.ToImage(Weights());
        Assert.Equal(new byte[] { 0, 64, 191, 128, 255, 191 }, image.Pixels);
    }

    [Fact]
    public void Per_channel_normalisation_stretches_each_channel_and_zeroes_constant_ones()
    {
        var image = TensorImage.ToImage(Weights(), TensorNormalization.PerChannel);
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 0 }, image.Pixels);
    }

    [Fact]
    public void Single_channel_becomes_gray_and_batched_shapes_are_accepted()
    {
        var image = TensorImage.ToImage(Tensor.FromValues([1, 1, 1, 3], 0f, 5f, 10f));
        Assert.Equal(new byte[] { 0, 0, 0, 128, 128, 128, 255, 255, 255 }, image.Pixels);
        Assert.Throws<ShapeMismatchException>(() => TensorImage.ToImage(new Tensor(5, 2, 2)));
    }

    [Fact]
    public void Channel_images_colour_each_channel_separately()
    {
        var images = TensorImage.ChannelImages(Weights());
        Assert.Equal(3, images.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, images[0].Pixels);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, images[2].Pixels);
        var viridis = TensorImage.ChannelImages(Weights(), Colormaps.Viridis, TensorNormalization.PerTensor);
        // Channel 1 on the tensor range: 0 -> byte 64 -> t = 64/255 -> entry 64; 3 -> entry 255.
        Assert.Equal(Colormaps.Viridis[64], new Rgb(viridis[1].Pixels[0], viridis[1].Pixels[1], viridis[1].Pixels[2]));
        Assert.Equal(Colormaps.Viridis[255], new Rgb(viridis[1].Pixels[3], viridis[1].Pixels[4], viridis[1].Pixels[5]));
    }
}
