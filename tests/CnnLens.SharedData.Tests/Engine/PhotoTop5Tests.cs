using System.Text.Json;
using CnnLens.Graph;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tests.Support;

namespace CnnLens.SharedData.Tests.Engine;

/// <summary>
/// Needs ../shared: every photo, decoded and preprocessed by CnnLens (imagenet preset), gives the
/// top-5 classes and logits recorded with PIL + PyTorch in models/reference/photos_top5.json.
/// The reference logits are rounded to 3 decimals, hence the 2e-3 tolerance. The reference was made
/// with the shorter side resized to 256 and the longer side ROUNDED, and a crop offset of
/// floor((size − 224) / 2) (its MANIFEST says so); torchvision truncates the longer side and rounds
/// the offset. To feed the same tensors, the test applies the reference's recipe with the same
/// CnnLens building blocks (PIL bilinear resize, crop, normalise).
/// </summary>
public class PhotoTop5Tests
{
    private static readonly Dictionary<string, Model> Models = new();

    public static IEnumerable<object[]> Cases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Shared("models", "reference", "photos_top5.json")));
        foreach (var photo in json.RootElement.EnumerateObject())
            foreach (var model in photo.Value.EnumerateObject())
                yield return [photo.Name, model.Name];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Photo_gives_the_recorded_top5_logits(string photo, string modelFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Shared("models", "reference", "photos_top5.json")));
        var expected = json.RootElement.GetProperty(photo).GetProperty(modelFile).EnumerateArray()
            .Select(e => (Index: e[0].GetInt32(), Logit: e[3].GetDouble())).ToArray();
        Model model;
        lock (Models)
            if (!Models.TryGetValue(modelFile, out model!))
                Models[modelFile] = model = Model.Load(RepositoryPaths.Shared("models", modelFile));

        var input = ReferenceRecipe(RepositoryPaths.Shared("images", photo));
        var logits = model.Predict(input).Data;
        foreach (var (index, logit) in expected)
            Assert.True(Math.Abs(logits[index] - logit) <= 2e-3, $"{photo} {modelFile}: class {index} logit {logits[index]} vs {logit}");
        Assert.Equal(expected[0].Index, Compare.TopK(logits, 1)[0]);
    }

    private static CnnLens.Tensors.Tensor ReferenceRecipe(string path)
    {
        var image = PilColorConversion.ToRgb(ImageDecoder.DecodeFile(path, DecodeOptions.MatchPil));
        double scale = 256.0 / Math.Min(image.Width, image.Height);
        int width = image.Width <= image.Height ? 256 : (int)Math.Round(image.Width * scale);
        int height = image.Height <= image.Width ? 256 : (int)Math.Round(image.Height * scale);
        var resized = PilBilinearResize.Resize(image, width, height);
        var cropped = TorchvisionGeometry.Crop(resized, (width - 224) / 2, (height - 224) / 2, 224, 224);
        return ImagePreprocessor.ToTensorPrepared(cropped, PreprocessingOptions.Imagenet);
    }
}
