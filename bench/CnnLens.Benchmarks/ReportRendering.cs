using System.Diagnostics;
using CnnLens.Imaging;
using CnnLens.Reports;
using CnnLens.Tensors;

namespace CnnLens.Benchmarks;

/// <summary>
/// The explain report's rendering cost (issue target: 10 methods for one 224x224 image under 0.5 s):
/// half input-space attributions [1,3,224,224], half CAMs [1,7,7], rendered and written as HTML.
/// `dotnet run -c Release -- report`.
/// </summary>
public static class ReportRendering
{
    public static void Run()
    {
        var random = new Random(7);
        var photo = new Image(224, 224, 3);
        random.NextBytes(photo.Pixels);
        var attributions = new List<CnnLens.Attribution.Attribution>();
        for (int m = 0; m < 10; m++)
        {
            var values = m % 2 == 0 ? new Tensor(1, 3, 224, 224) : new Tensor(1, 7, 7);
            for (int i = 0; i < values.Length; i++) values.Data[i] = (float)(random.NextDouble() * 2 - 1) * (m % 2 == 0 ? 1 : 0.5f) + (m % 2 == 0 ? 0 : 0.5f);
            attributions.Add(new CnnLens.Attribution.Attribution { Values = values, Method = $"method-{m}", Targets = [0], Layer = m % 2 == 0 ? null : "layer4" });
        }
        IReadOnlyList<ClassPrediction> top = [new ClassPrediction(0, "a", 0.9, 5f)];
        string Render() => HtmlReportWriter.Render(ExplainReportBuilder.Build("m.onnx", "p", ["x.png"], [photo], [top], attributions, ["a"]));
        Render(); // JIT and thread pool warm-up
        var times = new List<double>();
        string html = "";
        for (int r = 0; r < 7; r++)
        {
            var watch = Stopwatch.StartNew();
            html = Render();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var build = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            var watch = Stopwatch.StartNew();
            ExplainReportBuilder.Build("m.onnx", "p", ["x.png"], [photo], [top], attributions, ["a"]);
            build.Add(watch.Elapsed.TotalMilliseconds);
        }
        build.Sort();
        Console.WriteLine($"build only: median {build[3]:F0} ms");
        times.Sort();
        Console.WriteLine($"report, 10 methods, 224x224: median {times[3]:F0} ms, min {times[0]:F0} ms, {html.Length / 1024} KiB");
    }
}
