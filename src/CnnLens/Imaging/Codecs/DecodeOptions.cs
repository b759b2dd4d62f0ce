namespace CnnLens.Imaging.Codecs;

/// <summary>
/// Options shared by every decoder. <see cref="Default"/> is for display (EXIF rotation applied);
/// <see cref="MatchPil"/> reproduces <c>PIL.Image.open(path)</c> pixel for pixel, which is what a
/// torchvision pipeline feeds the model (PIL does not apply the EXIF orientation), so model
/// preprocessing must decode with <see cref="MatchPil"/>. <c>ImagePreprocessor.LoadTensor</c> (and
/// so the CLI's <c>--image</c> with a preset) does exactly that: the model sees the image unrotated,
/// like torchvision. Heatmap overlays must be drawn on that same unrotated image so they line up;
/// <see cref="Default"/> is for showing a photo on its own the way a viewer would.
/// </summary>
public sealed record DecodeOptions
{
    /// <summary>For display: EXIF orientation applied, PIL-compatible samples otherwise.</summary>
    public static DecodeOptions Default { get; } = new();

    /// <summary>Exactly what PIL's <c>Image.open</c> gives: no EXIF rotation.</summary>
    public static DecodeOptions MatchPil { get; } = new() { ApplyExifOrientation = false };

    /// <summary>Rotate/flip JPEGs by their EXIF orientation tag (PIL and torchvision do not).</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>Largest accepted width x height; protects against absurd headers in corrupt files.</summary>
    public long MaxPixels { get; init; } = 1L << 28;

    /// <summary>
    /// 16-bit grayscale PNG samples: PIL opens them as 32-bit integers and its conversion to 8 bits
    /// clamps at 255 (so most pixels turn white). True (default) copies that; false keeps the high byte.
    /// </summary>
    public bool ClampSixteenBitGrayLikePil { get; init; } = true;

    internal void CheckSize(long width, long height, string format)
    {
        if (width <= 0 || height <= 0)
            throw new DataFormatException($"{format} image has an empty size {width}x{height}; the file is corrupt");
        if (width * height > MaxPixels)
            throw new DataFormatException($"{format} image is {width}x{height}, more than the {MaxPixels} pixel limit; raise DecodeOptions.MaxPixels if it is genuine");
    }
}
