namespace CnnLens.Imaging.Preprocessing;

/// <summary>
/// torchvision 0.14's size rules: <c>Resize(int)</c> sets the shorter side and computes the longer
/// one as <c>int(size * long / short)</c> (truncating); <c>CenterCrop</c> starts at
/// <c>int(round((size - crop) / 2.0))</c> (Python rounds halves to even) and zero-pads first when
/// the crop is larger than the image.
/// </summary>
public static class TorchvisionGeometry
{
    /// <summary>Output (width, height) of <c>Resize(shorterSide)</c> for a width x height image.</summary>
    public static (int Width, int Height) ShorterSideSize(int width, int height, int shorterSide)
    {
        if (shorterSide <= 0) throw new InvalidOptionException($"resize size must be positive, got {shorterSide}");
        bool portrait = width <= height;
        int shortSide = portrait ? width : height, longSide = portrait ? height : width;
        int newLong = (int)((double)((long)shorterSide * longSide) / shortSide);
        return portrait ? (shorterSide, newLong) : (newLong, shorterSide);
    }

    /// <summary><c>CenterCrop((cropHeight, cropWidth))</c> of an 8-bit image.</summary>
    public static Image CenterCrop(Image image, int cropWidth, int cropHeight)
    {
        if (cropWidth <= 0 || cropHeight <= 0) throw new InvalidOptionException($"crop size {cropWidth}x{cropHeight} must be positive");
        if (cropWidth > image.Width || cropHeight > image.Height)
        {
            int padLeft = cropWidth > image.Width ? (cropWidth - image.Width) / 2 : 0;
            int padTop = cropHeight > image.Height ? (cropHeight - image.Height) / 2 : 0;
            int padRight = cropWidth > image.Width ? (cropWidth - image.Width + 1) / 2 : 0;
            int padBottom = cropHeight > image.Height ? (cropHeight - image.Height + 1) / 2 : 0;
            image = Crop(image, -padLeft, -padTop, image.Width + padLeft + padRight, image.Height + padTop + padBottom);
        }
        int top = (int)Math.Round((image.Height - cropHeight) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - cropWidth) / 2.0, MidpointRounding.ToEven);
        return Crop(image, left, top, cropWidth, cropHeight);
    }

    /// <summary>The width x height window at (left, top); parts outside the image are zero, like PIL's <c>crop</c>.</summary>
    public static Image Crop(Image image, int left, int top, int width, int height)
    {
        int c = image.Channels;
        var result = new Image(width, height, c);
        int x0 = Math.Max(left, 0), x1 = Math.Min(left + width, image.Width);
        if (x1 <= x0) return result;
        for (int y = 0; y < height; y++)
        {
            int sy = top + y;
            if (sy < 0 || sy >= image.Height) continue;
            image.Pixels.AsSpan((sy * image.Width + x0) * c, (x1 - x0) * c)
                .CopyTo(result.Pixels.AsSpan((y * width + x0 - left) * c));
        }
        return result;
    }
}
