using CnnLens.Attribution;
using CnnLens.Cli.Commands;
using CnnLens.Graph;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Cli.Demo;

/// <summary>
/// Chapter 1: MNIST digits with a distractor stroke. For each digit the clean and the stroked image
/// are explained with signed methods: red pixels raised the predicted class, blue ones lowered it.
/// </summary>
public static class DigitsChapter
{
    public static (StoryChapter Chapter, ExplainReport Explained) Build(Model model, DemoInput input, IReadOnlyList<AttributionMethod> methods)
    {
        var digits = DistractorStrokes.ForDigit.Keys.Order().ToArray();
        var raws = new List<Tensor>();
        var sources = new List<string>();
        foreach (int digit in digits)
        {
            var clean = DemoAssets.Digit(digit);
            var stroke = DistractorStrokes.ForDigit[digit];
            raws.Add(clean);
            sources.Add($"digit {digit}");
            raws.Add(DistractorStrokes.Draw(clean, stroke));
            sources.Add($"digit {digit} + a stroke that suggests {stroke.Suggests}");
        }
        var raw = DemoImages.Stack(raws);
        var x = input.Prepare(raw);
        var names = model.ClassNamesFor(10);
        var predictions = TopK.Predictions(model.Predict(x), names, 3);
        // Both pictures of a digit are explained for the digit as written, so the stroke's own sign answers "did it make the network doubt?".
        var written = digits.SelectMany(d => new[] { d, d }).ToArray();
        var attributions = methods.Select(m => m.Attribute(model, x, written)).ToList();
        var pictures = Enumerable.Range(0, raws.Count).Select(n => DemoImages.Picture(raw, n)).ToArray();
        var explained = ExplainReportBuilder.Build(model.Name, input.Description, sources, pictures, predictions, attributions, names);

        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < digits.Length; i++)
        {
            var clean = predictions[2 * i][0];
            var stroked = predictions[2 * i + 1][0];
            rows.Add([digits[i].ToString(), Describe(clean), Describe(stroked), DistractorStrokes.ForDigit[digits[i]].Suggests]);
        }
        var chapter = new StoryChapter
        {
            Heading = "1. Which pixels made the network say 6 — and which made it doubt?",
            Paragraphs =
            [
                $"A LeNet trained by `cnnlens train` on MNIST ({model.Name}) reads five handwritten digits, first as written, then with one extra pen stroke drawn by CnnLens that pushes the digit towards another one.",
                "Each picture is explained for the digit as written. The attributions are signed: red pixels raised that digit's score, blue pixels lowered it, and white is neutral. Look at the stroke: where it is blue, the network took it as evidence against the written digit — the doubt that, for some digits, turns the answer into another one.",
            ],
            Tables = [new StoryTable("predictions before and after the stroke", ["digit", "as written", "with the stroke", "the stroke suggests"], rows)],
            Explanations = explained.Images,
        };
        return (chapter, explained);
    }

    private static string Describe(ClassPrediction p) => $"{p.Name ?? p.Index.ToString()} ({p.Probability:P1})";
}
