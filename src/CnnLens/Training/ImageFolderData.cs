using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tensors;

namespace CnnLens.Training;

/// <summary>How <see cref="ImageFolderData.Load"/> turns files into tensors.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>One channel (PIL convert("L")) instead of RGB.</summary>
    public bool Grayscale { get; init; }

    /// <summary>
    /// Resize every image to Size x Size (PIL bilinear, antialiased, aspect not kept). Null: all
    /// images must already share one size, else loading fails naming the odd files.
    /// </summary>
    public int? Size { get; init; }
}

/// <summary>A file that was left out of the data set, and why.</summary>
public sealed record SkippedFile(string Path, string Reason);

/// <summary>A loaded image folder: the data and the files that could not be read.</summary>
public sealed record ImageFolderResult(TrainingData Data, IReadOnlyList<SkippedFile> Skipped);

/// <summary>
/// torchvision's ImageFolder layout: <c>DIR/CLASS/*.png|jpg</c>, one sub-folder per class, classes
/// in ordinal order of their folder names. Files that fail to decode are skipped and listed.
/// </summary>
public static class ImageFolderData
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".jfif", ".bmp", ".pgm", ".ppm", ".pnm"];

    public static ImageFolderResult Load(string directory, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        if (options.Size is <= 0) throw new InvalidOptionException($"image size must be positive, got {options.Size}");
        if (!Directory.Exists(directory)) throw new InvalidOptionException($"data folder '{directory}' does not exist");
        var classes = Directory.GetDirectories(directory).Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw new InvalidOptionException(
                $"data folder '{directory}' has {classes.Length} class sub-folder(s); training needs one sub-folder per class and at least two classes");

        var preprocessing = new PreprocessingOptions
        {
            Grayscale = options.Grayscale,
            ResizeExact = options.Size is { } s ? (s, s) : null,
        };
        var skipped = new List<SkippedFile>();
        var images = new List<(Image Image, int Label, string Path)>();
        for (int label = 0; label < classes.Length; label++)
        {
            var files = Directory.EnumerateFiles(Path.Combine(directory, classes[label]))
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                try
                {
                    var decoded = ImageDecoder.DecodeFile(file, DecodeOptions.MatchPil);
                    images.Add((ImagePreprocessor.Prepare(decoded, preprocessing), label, file));
                }
                catch (Exception e) when (e is CnnLensException or IOException or UnauthorizedAccessException)
                {
                    skipped.Add(new SkippedFile(file, e.Message));
                }
            }
        }
        if (images.Count == 0)
            throw new DataFormatException($"data folder '{directory}' holds no readable images ({string.Join(" ", Extensions)}) in its class folders");
        var empty = classes.Where((_, i) => images.All(im => im.Label != i)).ToArray();
        if (empty.Length > 0)
            throw new DataFormatException($"class folder(s) {string.Join(", ", empty.Select(c => $"'{c}'"))} hold no readable images");

        var (width, height) = (images[0].Image.Width, images[0].Image.Height);
        var odd = images.Where(i => i.Image.Width != width || i.Image.Height != height).ToArray();
        if (odd.Length > 0)
            throw new DataFormatException(
                $"images differ in size: '{images[0].Path}' is {width}x{height} but " +
                string.Join(", ", odd.Take(5).Select(i => $"'{i.Path}' is {i.Image.Width}x{i.Image.Height}")) +
                (odd.Length > 5 ? $" and {odd.Length - 5} more" : "") + "; give a common size (--size N) to resize them all");

        int channels = preprocessing.Channels, size = channels * height * width;
        var tensor = new Tensor(images.Count, channels, height, width);
        for (int n = 0; n < images.Count; n++)
        {
            var one = ImagePreprocessor.ToTensorPrepared(images[n].Image, preprocessing);
            Array.Copy(one.Data, 0, tensor.Data, (long)n * size, size);
        }
        return new ImageFolderResult(new TrainingData(tensor, images.Select(i => i.Label).ToArray(), classes), skipped);
    }
}
