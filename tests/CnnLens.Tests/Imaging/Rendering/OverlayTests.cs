using CnnLens.Imaging;
using CnnLens.Imaging.Rendering;
using CnnLens.Tensors;

namespace CnnLens.Tests.Imaging.Rendering;

public class OverlayTests
{
    private static Image Photo(int width, int height, byte r, byte g, byte b)
    {
        var image = new Image(width, height, 3);
        for (int i = 0; i < width * height; i++)
        {
            image.Pixels[i * 3] = r;
            image.Pixels[i * 3 + 1] = g;
            image.Pixels[i * 3 + 2] = b;
        }
        return image;
    }

    private static (int, int, int) At(Image image, int x, int y) => (image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    private static (int, int, int) Blend(double keep, (int R, int G, int B) photo, double alpha, Rgb colour) =>
        ((int)Math.Floor(keep * photo.R + alpha * colour.R + 0.5),
         (int)Math.Floor(keep * photo.G + alpha * colour.G + 0.5),
         (int)Math.Floor(keep * photo.B + alpha * colour.B + 0.5));

    [Fact]
    public void Signed_overlay_is_transparent_at_zero_and_peak_opacity_at_full_scale()
    {
        var photo = Photo(2, 2, 100, 150, 200);
        var cam = Tensor.FromValues([2, 2], 0f, 4f, -4f, 2f);
        var result = Overlay.Render(photo, cam, new HeatmapOptions { FixedScale = 4f });

        Assert.Equal((100, 150, 200), At(result, 0, 0));
        // Full positive: 0.2 photo + 0.8 pure red; full negative: 0.2 photo + 0.8 pure blue.
        Assert.Equal((224, 30, 40), At(result, 1, 0));
        Assert.Equal((20, 30, 244), At(result, 0, 1));
        // Half scale: alpha 0.4, colour at t = 0.75 -> entry 192.
        Assert.Equal(Blend(0.6, (100, 150, 200), 0.4, Colormaps.BlueWhiteRed[192]), At(result, 1, 1));
    }

    [Fact]
    public void Sequential_overlay_uses_constant_opacity_like_show_cam_on_image()
    {
        var photo = Photo(2, 1, 100, 150, 200);
        var cam = Tensor.FromValues([1, 2], 0f, 1f);
        var result = Overlay.Render(photo, cam, new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum });
        // Zero still gets the darkest inferno colour at weight 0.5; the maximum the brightest.
        Assert.Equal(Blend(0.5, (100, 150, 200), 0.5, Colormaps.Inferno[0]), At(result, 0, 0));
        Assert.Equal(Blend(0.5, (100, 150, 200), 0.5, Colormaps.Inferno[255]), At(result, 1, 0));

        var lighter = Overlay.Render(photo, cam, new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum },
            new OverlayOptions { ConstantOpacity = 0.25f });
        Assert.Equal(Blend(0.75, (100, 150, 200), 0.25, Colormaps.Inferno[255]), At(lighter, 1, 0));
    }

    [Fact]
    public void Alpha_mode_can_be_forced_either_way()
    {
        var photo = Photo(2, 1, 100, 150, 200);
        var cam = Tensor.FromValues([1, 2], 0f, 1f);
        var options = new HeatmapOptions { View = HeatmapView.Positive, Scaling = HeatmapScaling.Maximum };
        var scaled = Overlay.Render(photo, cam, options, new OverlayOptions { Alpha = OverlayAlpha.ScaledByMagnitude, PeakOpacity = 1f });
        Assert.Equal((100, 150, 200), At(scaled, 0, 0));
        var inferno = Colormaps.Inferno[255];
        Assert.Equal(((int)inferno.R, (int)inferno.G, (int)inferno.B), At(scaled, 1, 0));

        var constant = Overlay.Render(photo, cam, new HeatmapOptions { FixedScale = 1f }, new OverlayOptions { Alpha = OverlayAlpha.Constant });
        Assert.Equal(Blend(0.5, (100, 150, 200), 0.5, Colormaps.BlueWhiteRed[128]), At(constant, 0, 0));
    }

    [Fact]
    public void CAM_is_upsampled_to_the_photo_size()
    {
        var photo = Photo(4, 4, 10, 20, 30);
        var cam = Tensor.FromValues([2, 2], 1f, 2f, 3f, 4f);
        var options = new HeatmapOptions { FixedScale = 4f };
        var result = Overlay.Render(photo, cam, options);
        Assert.Equal((4, 4, 3), (result.Width, result.Height, result.Channels));
        // Pixel (1,1) holds the hand-derived 1.75 / 4 = 0.4375: alpha 0.35, t = 0.71875 -> entry 184.
        Assert.Equal(Blend(0.65, (10, 20, 30), 0.35, Colormaps.BlueWhiteRed[184]), At(result, 1, 1));
        // Corner (3,3) = 4 / 4 = 1.
        Assert.Equal(Blend(0.2, (10, 20, 30), 0.8, Colormaps.BlueWhiteRed[255]), At(result, 3, 3));
    }

    [Fact]
    public void Gray_photos_and_grayscale_option_blend_over_gray()
    {
        var gray = new Image(1, 1, 1, [77]);
        var zero = Tensor.FromValues([1, 1], 0f);
        Assert.Equal((77, 77, 77), At(Overlay.Render(gray, zero, new HeatmapOptions { FixedScale = 1f }), 0, 0));
        var colour = Photo(1, 1, 90, 150, 210);
        var result = Overlay.Render(colour, zero, new HeatmapOptions { FixedScale = 1f }, new OverlayOptions { GrayscalePhoto = true });
        Assert.Equal((150, 150, 150), At(result, 0, 0));
    }

    [Fact]
    public void Mismatched_sizes_and_bad_opacity_are_rejected()
    {
        var map = Heatmap.Normalize(Tensor.FromValues([2, 2], 1f, 2f, 3f, 4f));
        Assert.Throws<ShapeMismatchException>(() => Overlay.Blend(Photo(3, 2, 0, 0, 0), map, Colormaps.Jet));
        Assert.Throws<InvalidOptionException>(() => Overlay.Blend(Photo(2, 2, 0, 0, 0), map, Colormaps.Jet, new OverlayOptions { ConstantOpacity = 1.5f }));
    }
}
