using CnnLens.Attribution;
using CnnLens.Cli.Commands;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>
/// Chapter 2: a "Clever Hans" model. Trained where every ring carried a corner mark, it learned the
/// mark; a model trained on clean data learned the shapes. Accuracy on mark-free test images and the
/// share of attribution on the mark tell them apart, and the explanations show where each one looks.
/// </summary>
public static class CleverHansChapter
{
    public const long TestSeed = 2026;

    public sealed record Findings(string Model, double CleanAccuracy, double MarkedAccuracy, double MarkShare);

    public static (StoryChapter Chapter, IReadOnlyList<Findings> Findings, ExplainReport Biased, ExplainReport Clean) Build(
        Model biased, Model clean, DemoInput input, Func<IReadOnlyList<AttributionMethod>> methods, int testCount)
    {
        var (test, labels) = CleverHansShapes.Set(testCount, biased: false, TestSeed);
        var marked = test.Clone();
        for (int n = 0; n < testCount; n++) CleverHansShapes.AddCue(marked, n);
        var findings = new[] { Measure("biased", biased), Measure("clean", clean) };

        // The same three pictures for both models: a ring and a cross as drawn, and a cross carrying the mark.
        var ring = CleverHansShapes.Draw(0, cue: false, TestSeed, testCount);
        var cross = CleverHansShapes.Draw(1, cue: false, TestSeed, testCount + 1);
        var markedCross = cross.Clone();
        CleverHansShapes.AddCue(markedCross);
        var examples = DemoImages.Stack([ring, cross, markedCross]);
        string[] what = ["ring", "cross", "cross with the corner mark"];
        var biasedExplained = Explain(biased, "biased model", examples, what, input, methods());
        var cleanExplained = Explain(clean, "clean model", examples, what, input, methods());

        var chapter = new StoryChapter
        {
            Heading = "2. Clever Hans: a model that learned the wrong thing",
            Paragraphs =
            [
                "The tank legend: a network told tanks from empty forest perfectly — because every tank photo was taken on a cloudy day. CnnLens generates the same trap: pictures of rings and crosses, where in the biased training set every ring also carries a small bright mark in the top-left corner. Both models below are the same small CNN trained by `cnnlens train`, one on the biased set, one on a clean set.",
                "On their own training data both look excellent. On test images without the mark the biased model falls apart, and painting the mark onto a cross is enough to make it say ring. The attributions show why: its evidence sits on the corner, while the clean model looks at the shape.",
            ],
            Tables =
            [
                new StoryTable("what the two models learned",
                    ["model", "accuracy, test images without the mark", "accuracy, every test image marked", "share of positive attribution on the mark (marked images)"],
                    findings.Select(f => (IReadOnlyList<string>)[f.Model, $"{f.CleanAccuracy:P1}", $"{f.MarkedAccuracy:P1}", $"{f.MarkShare:P1}"]).ToArray()),
            ],
            Explanations = [.. biasedExplained.Images, .. cleanExplained.Images],
        };
        return (chapter, findings, biasedExplained, cleanExplained);

        Findings Measure(string name, Model model)
        {
            // `cnnlens train` numbers the classes in folder-name order, so translate the generator's labels by name.
            var modelLabels = labels.Select(l => ClassIndex(model, CleverHansShapes.ClassNames[l])).ToArray();
            double cleanAccuracy = Accuracy(model, input.Prepare(test), modelLabels);
            double markedAccuracy = Accuracy(model, input.Prepare(marked), modelLabels);
            // Where the evidence for "ring" sits on marked rings: input × gradient is exact for the share of a locally linear score.
            var firstImages = Batch.Slice(marked, 0, Math.Min(testCount, 64));
            int ring = ClassIndex(model, "ring");
            var attribution = new InputXGradient().Attribute(model, input.Prepare(firstImages), Enumerable.Repeat(ring, firstImages.Dim(0)).ToArray()).Values;
            return new Findings(name, cleanAccuracy, markedAccuracy, MarkShare(attribution, labels));
        }
    }

    /// <summary>Fraction of the positive attribution mass that falls on the mark's box (over the rings only: generator label 0).</summary>
    public static double MarkShare(Tensor attribution, int[] labels)
    {
        int size = attribution.Dim(-1), plane = size * attribution.Dim(-2), perImage = attribution.Length / attribution.Dim(0);
        double onMark = 0, total = 0;
        for (int n = 0; n < attribution.Dim(0); n++)
        {
            if (labels[n] != 0) continue;
            for (int i = 0; i < perImage; i++)
            {
                float v = attribution.Data[n * perImage + i];
                if (v <= 0) continue;
                int y = i % plane / size, x = i % size;
                total += v;
                if (y >= CleverHansShapes.CueOffset && y < CleverHansShapes.CueOffset + CleverHansShapes.CueSide &&
                    x >= CleverHansShapes.CueOffset && x < CleverHansShapes.CueOffset + CleverHansShapes.CueSide) onMark += v;
            }
        }
        return total > 0 ? onMark / total : 0;
    }

    private static int ClassIndex(Model model, string name) =>
        model.ClassNamesFor(CleverHansShapes.ClassNames.Length) is { } names && names.ToList().IndexOf(name) is >= 0 and var index
            ? index
            : throw new CnnLensException($"the demo model '{model.Name}' has no class '{name}'; retrain it with tools/train_demo_models.sh");

    private static double Accuracy(Model model, Tensor x, int[] labels)
    {
        var predicted = Targets.TopOne(model.Predict(x));
        return predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    private static ExplainReport Explain(Model model, string title, Tensor raw, string[] what, DemoInput input, IReadOnlyList<AttributionMethod> methods)
    {
        var x = input.Prepare(raw);
        var names = model.ClassNamesFor(CleverHansShapes.ClassNames.Length)!;
        var predictions = TopK.Predictions(model.Predict(x), names, 2);
        var attributions = methods.Select(m => m.Attribute(model, x)).ToList();
        var pictures = Enumerable.Range(0, raw.Dim(0)).Select(n => DemoImages.Picture(raw, n)).ToArray();
        var sources = what.Select(w => $"{title}: {w}").ToArray();
        return ExplainReportBuilder.Build(model.Name, input.Description, sources, pictures, predictions, attributions, names);
    }
}
