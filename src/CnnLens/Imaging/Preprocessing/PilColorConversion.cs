namespace CnnLens.Imaging.Preprocessing;

/// <summary>
/// PIL's <c>convert("RGB")</c> and <c>convert("L")</c> for 8-bit images: alpha is dropped (not
/// composited), gray is replicated, and luma is ITU-R 601-2 in 16-bit fixed point with rounding:
/// L = (R*19595 + G*38470 + B*7471 + 0x8000) &gt;&gt; 16 (Pillow's L24 macro; checked against PIL 9.4).
/// </summary>
public static class PilColorConversion
{
    public static Image ToRgb(Image image)
    {
        if (image.Channels == 3) return image;
        var result = new Image(image.Width, image.Height, 3);
        var src = image.Pixels;
        var dst = result.Pixels;
        int c = image.Channels;
        for (int i = 0, n = image.Width * image.Height; i < n; i++)
        {
            if (c <= 2)
            {
                byte g = src[i * c];
                dst[i * 3] = dst[i * 3 + 1] = dst[i * 3 + 2] = g;
            }
            else
            {
                dst[i * 3] = src[i * c];
                dst[i * 3 + 1] = src[i * c + 1];
                dst[i * 3 + 2] = src[i * c + 2];
            }
        }
        return result;
    }

    public static Image ToGray(Image image)
    {
        if (image.Channels == 1) return image;
        var result = new Image(image.Width, image.Height, 1);
        var src = image.Pixels;
        var dst = result.Pixels;
        int c = image.Channels;
        for (int i = 0, n = image.Width * image.Height; i < n; i++)
            dst[i] = c <= 2 ? src[i * c] : Luma(src[i * c], src[i * c + 1], src[i * c + 2]);
        return result;
    }

    public static byte Luma(int r, int g, int b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}
