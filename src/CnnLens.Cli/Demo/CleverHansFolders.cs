using CnnLens.Imaging.Codecs.Png;

namespace CnnLens.Cli.Demo;

/// <summary>
/// Writes the Clever Hans training sets as image folders (one sub-folder per class) for
/// <c>cnnlens train --data</c>: the recipe in tools/train_demo_models.sh trains the demo's two models on them.
/// </summary>
public static class CleverHansFolders
{
    public const long TrainingSeed = 1;

    /// <summary>Images per training set: half rings, half crosses.</summary>
    public const int TrainingImages = 2000;

    public static void Write(string directory, int count)
    {
        foreach (var (name, biased) in new[] { ("biased", true), ("clean", false) })
        {
            var (images, labels) = CleverHansShapes.Set(count, biased, TrainingSeed);
            foreach (var className in CleverHansShapes.ClassNames)
                Directory.CreateDirectory(Path.Combine(directory, name, className));
            for (int n = 0; n < count; n++)
            {
                string path = Path.Combine(directory, name, CleverHansShapes.ClassNames[labels[n]], $"{n:D5}.png");
                PngEncoder.Save(DemoImages.Gray(images, n), path);
            }
        }
    }
}
