using System.Diagnostics;
using System.Text.Json;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs.Png;
using CnnLens.Imaging.Rendering;
using CnnLens.Reports;
using CnnLens.Tensors;
using CnnLens.Tests.Support;
using Xunit.Abstractions;
using AttributionResult = CnnLens.Attribution.Attribution;

namespace CnnLens.Tests.Reports;

public class ExplainReportTests
{
    private const int Width = 16, Height = 12;
    private static readonly string[] ClassNames = ["ant", "bee", "cat"];

    /// <summary>A flat gray photo, so every colour in a heatmap comes from the attribution.</summary>
    private static Image GrayPhoto(int width = Width, int height = Height)
    {
        var image = new Image(width, height, 3);
        Array.Fill(image.Pixels, (byte)128);
        return image;
    }

    /// <summary>
    /// Input-space attribution whose channel sum is +1 at (2,3), -1 at (10,5) and 0 elsewhere: the 99.5th
    /// percentile of the 192 magnitudes falls between the two largest (both 1), so the colour scale is exactly 1.
    /// </summary>
    private static AttributionResult SignedAttribution(int batch = 1)
    {
        var values = new Tensor(batch, 3, Height, Width);
        int plane = Height * Width;
        for (int n = 0; n < batch; n++)
        {
            int image = n * 3 * plane;
            values.Data[image + 0 * plane + 3 * Width + 2] = 0.5f;
            values.Data[image + 1 * plane + 3 * Width + 2] = 0.5f;
            values.Data[image + 2 * plane + 5 * Width + 10] = -1f;
        }
        return new AttributionResult
        {
            Values = values, Method = "integrated-gradients", Targets = Enumerable.Repeat(2, batch).ToArray(),
            Options = new Dictionary<string, string> { ["steps"] = "16" },
            Elapsed = TimeSpan.FromMilliseconds(12.5), ConvergenceDelta = Enumerable.Repeat(0.25, batch).ToArray(),
        };
    }

    /// <summary>A constant 3x4 CAM of 2: scale 2, every pixel at the top of the colormap.</summary>
    private static AttributionResult CamAttribution(int batch = 1) => new()
    {
        Values = Tensor.Filled([batch, 3, 4], 2f), Method = "grad-cam", Targets = Enumerable.Repeat(1, batch).ToArray(), Layer = "layer3",
        Options = new Dictionary<string, string> { ["layer"] = "(suggested)" }, Elapsed = TimeSpan.FromMilliseconds(3),
    };

    private static ExplainReport TwoMethodReport(ReportRenderOptions? options = null, int batch = 1) =>
        ExplainReportBuilder.Build("tiny.onnx", "RGB, centre crop", Enumerable.Range(0, batch).Select(n => $"img{n}.png").ToArray(),
            Enumerable.Range(0, batch).Select(_ => GrayPhoto()).ToArray(),
            Enumerable.Range(0, batch).Select(_ => (IReadOnlyList<ClassPrediction>)[new ClassPrediction(2, "cat", 0.75, 3.5f), new ClassPrediction(0, "ant", 0.25, 2.4f)]).ToArray(),
            [SignedAttribution(batch), CamAttribution(batch)], ClassNames, options);

    [Fact]
    public void Signed_heatmap_is_red_for_evidence_for_blue_against_and_white_at_zero()
    {
        var panel = TwoMethodReport().Images[0].Panels[0];
        Assert.True(panel.IsSigned);
        Assert.Equal(HeatmapView.Signed, panel.View);
        Assert.Equal(1f, panel.Scale, 6);
        Assert.Equal(["heatmap (signed)", "overlay"], panel.Figures.Select(f => f.Caption));
        var heatmap = panel.Figures[0].Image;
        Assert.Equal((Width, Height), (heatmap.Width, heatmap.Height));
        // matplotlib's bwr runs (0,0,1) → (1,1,1) → (1,0,0).
        Assert.Equal([255, 0, 0], Pixel(heatmap, 2, 3));
        Assert.Equal([0, 0, 255], Pixel(heatmap, 10, 5));
        Assert.All(Pixel(heatmap, 0, 0), c => Assert.InRange(c, 250, 255));
        Assert.Equal("bwr", panel.Figures[0].Colormap);
        var bar = panel.Figures[0].ColorBar!;
        Assert.Equal([-1f, 0f, 1f], bar.Ticks.Select(t => t.Value));
        Assert.Equal("cat", panel.TargetName);
        Assert.Equal(0.25, panel.ConvergenceDelta);
    }

    [Fact]
    public void Cam_panel_is_upsampled_to_the_input_and_coloured_with_jet()
    {
        var panel = TwoMethodReport().Images[0].Panels[1];
        Assert.False(panel.IsSigned);
        Assert.Equal(HeatmapView.Positive, panel.View);
        Assert.Equal(2f, panel.Scale, 6);
        Assert.Equal("layer3", panel.Layer);
        Assert.Equal("bee", panel.TargetName);
        var heatmap = panel.Figures[0].Image;
        Assert.Equal((Width, Height), (heatmap.Width, heatmap.Height));
        // jet ends at (0.5, 0, 0): dark red everywhere for a constant map at full scale.
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Pixel(heatmap, x, y);
                Assert.InRange(p[0], 126, 129);
                Assert.Equal(0, p[1]);
                Assert.Equal(0, p[2]);
            }
        Assert.Equal("jet", panel.Figures[0].Colormap);
    }

    [Fact]
    public void Magnitude_views_of_signed_methods_add_the_signed_figure()
    {
        var report = TwoMethodReport(new ReportRenderOptions { View = HeatmapView.Absolute });
        var signed = report.Images[0].Panels[0];
        Assert.Equal(["heatmap (absolute)", "overlay", "signed"], signed.Figures.Select(f => f.Caption));
        Assert.Equal("inferno", signed.Figures[0].Colormap);
        Assert.Equal("bwr", signed.Figures[2].Colormap);
        // |−1| at (10,5) is full scale: inferno's top colour, the same as at (2,3).
        Assert.Equal(Pixel(signed.Figures[0].Image, 2, 3), Pixel(signed.Figures[0].Image, 10, 5));
        Assert.Equal([0, 0, 255], Pixel(signed.Figures[2].Image, 10, 5));
        Assert.Equal(2, report.Images[0].Panels[1].Figures.Count);
    }

    [Fact]
    public void Cams_show_a_signed_request_as_positive()
    {
        var cam = TwoMethodReport(new ReportRenderOptions { View = HeatmapView.Signed }).Images[0].Panels[1];
        Assert.Equal(HeatmapView.Positive, cam.View);
        Assert.Equal([0f, 2f], cam.Figures[0].ColorBar!.Ticks.Select(t => t.Value));
    }

    [Fact]
    public void Spatial_maps_with_negative_values_keep_their_sign()
    {
        // A RISE-like [N,h,w] map: evidence for on the left, against on the right.
        var map = new Tensor(1, 3, 4);
        map[0, 1, 0] = 2f;
        map[0, 1, 3] = -1f;
        var rise = new AttributionResult { Values = map, Method = "rise", Targets = [2] };
        var panel = ExplainReportBuilder.RenderPanel(rise, 0, GrayPhoto(), ClassNames, new ReportRenderOptions());
        Assert.True(panel.IsSigned);
        Assert.Equal(HeatmapView.Signed, panel.View);
        var ticks = panel.Figures[0].ColorBar!.Ticks.Select(t => t.Value).ToArray();
        Assert.Equal(-ticks[^1], ticks[0]); // a symmetric scale around zero
        Assert.True(ticks[^1] > 1f);
    }

    [Fact]
    public void Overlay_opacity_sets_how_much_of_the_heatmap_covers_the_photo()
    {
        var report = TwoMethodReport(new ReportRenderOptions { Opacity = 0.25f, Colormap = Colormaps.Gray });
        var overlay = report.Images[0].Panels[1].Figures[1].Image;
        // Constant alpha 0.25 of white (gray's top) over 128: 0.75·128 + 0.25·255 = 159.75.
        Assert.All(Pixel(overlay, 5, 5), c => Assert.InRange(c, 159, 160));

        // Input-space overlays tint by magnitude: untouched photo at zero attribution, the full 0.25 at full scale.
        var signedOverlay = report.Images[0].Panels[0].Figures[1].Image;
        Assert.Equal([128, 128, 128], Pixel(signedOverlay, 0, 0));
        Assert.All(Pixel(signedOverlay, 2, 3), c => Assert.InRange(c, 159, 160));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Opacity_outside_zero_to_one_is_rejected(float opacity) =>
        Assert.Throws<InvalidOptionException>(() => TwoMethodReport(new ReportRenderOptions { Opacity = opacity }));

    [Fact]
    public void Html_has_one_panel_per_method_and_decodable_images_and_no_external_references()
    {
        string html = HtmlReportWriter.Render(TwoMethodReport());
        Assert.Equal([("integrated-gradients", "integrated-gradients"), ("grad-cam", "grad-cam")], ReportHtml.Panels(html));
        var figures = ReportHtml.Figures(html);
        Assert.Equal(5, figures.Count); // the input, then heatmap + overlay per method
        Assert.Equal("input as the model saw it", figures[0].Alt);
        Assert.All(figures, f => Assert.Equal((Width, Height), (f.Image.Width, f.Image.Height)));
        Assert.Equal([255, 0, 0], Pixel(figures[1].Image, 2, 3));
        var bars = ReportHtml.AllImages(html).Where(i => i.Height == 10).ToList();
        Assert.Equal(2, bars.Count);
        Assert.All(bars, b => Assert.Equal(ExplainReportBuilder.ColorBarLength, b.Width));

        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("target class 2 · cat", html);
        Assert.Contains("<th>steps</th><td>16</td>", html);
        Assert.Contains("<th>convergence delta</th><td>0.25</td>", html);
        Assert.Contains("<th>layer</th><td>layer3 (suggested)</td>", html);
        Assert.Contains("RGB, centre crop", html);
        Assert.Contains("75.00 %", html);
    }

    [Fact]
    public void Html_escapes_names_from_the_outside()
    {
        var report = TwoMethodReport() with { ModelName = "<b>evil</b>&.onnx" };
        string html = HtmlReportWriter.Render(report);
        Assert.DoesNotContain("<b>evil</b>", html);
        Assert.Contains("&lt;b&gt;evil&lt;/b&gt;&amp;.onnx", html);
    }

    [Fact]
    public void Batch_gives_one_section_per_image()
    {
        string html = HtmlReportWriter.Render(TwoMethodReport(batch: 3));
        Assert.Equal(6, ReportHtml.Panels(html).Count);
        for (int n = 0; n < 3; n++) Assert.Contains($"Image {n + 1}: img{n}.png", html);
    }

    [Fact]
    public void Json_holds_the_metadata_and_no_images()
    {
        string json = JsonReport.Render(TwoMethodReport());
        Assert.DoesNotContain("base64", json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("tiny.onnx", root.GetProperty("model").GetString());
        Assert.Equal("RGB, centre crop", root.GetProperty("preprocessing").GetString());
        var image = root.GetProperty("images")[0];
        Assert.Equal(Width, image.GetProperty("width").GetInt32());
        Assert.Equal(Height, image.GetProperty("height").GetInt32());
        var top = image.GetProperty("predictions")[0];
        Assert.Equal(2, top.GetProperty("index").GetInt32());
        Assert.Equal("cat", top.GetProperty("name").GetString());
        Assert.Equal(0.75, top.GetProperty("probability").GetDouble());
        var methods = image.GetProperty("methods");
        Assert.Equal(2, methods.GetArrayLength());
        var ig = methods[0];
        Assert.Equal("integrated-gradients", ig.GetProperty("method").GetString());
        Assert.Equal(2, ig.GetProperty("target").GetProperty("index").GetInt32());
        Assert.Equal("cat", ig.GetProperty("target").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, ig.GetProperty("layer").ValueKind);
        Assert.Equal("16", ig.GetProperty("options").GetProperty("steps").GetString());
        Assert.Equal(12.5, ig.GetProperty("elapsed_ms").GetDouble());
        Assert.Equal(0.25, ig.GetProperty("convergence_delta").GetDouble());
        Assert.Equal("signed", ig.GetProperty("view").GetString());
        Assert.Equal("bwr", ig.GetProperty("colormap").GetString());
        Assert.Equal(1.0, ig.GetProperty("scale").GetDouble(), 6);
        var cam = methods[1];
        Assert.Equal("layer3", cam.GetProperty("layer").GetString());
        Assert.Equal(JsonValueKind.Null, cam.GetProperty("convergence_delta").ValueKind);
        Assert.False(cam.GetProperty("signed").GetBoolean());
    }

    [Fact]
    public void Png_grid_has_a_row_input_heatmap_overlay_per_method()
    {
        var grid = ExplainPng.Compose(TwoMethodReport());
        int pad = ExplainPng.Padding;
        // Three cells per row plus padding before each cell and after the last.
        Assert.Equal(pad + 3 * (Width + pad), grid.Width);
        Assert.Equal(pad + 2 * (Height + pad), grid.Height);
        Assert.Equal([128, 128, 128], Pixel(grid, pad, pad));
        Assert.Equal([255, 0, 0], Pixel(grid, pad + Width + pad + 2, pad + 3));
        Assert.Equal([255, 255, 255], Pixel(grid, 0, 0));
    }

    [Fact]
    public void Writers_are_atomic_and_refuse_missing_folders()
    {
        using var dir = new TempDirectory();
        var report = TwoMethodReport();
        string missing = Path.Combine(dir.Path, "no-such-folder", "r.html");
        Assert.Throws<DataFormatException>(() => HtmlReportWriter.Write(report, missing));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "no-such-folder")));

        File.WriteAllText(dir.File("r.html"), "old");
        HtmlReportWriter.Write(report, dir.File("r.html"));
        ExplainPng.Write(report, dir.File("g.png"));
        JsonReport.Write(report, dir.File("r.json"));
        Assert.Equal(["g.png", "r.html", "r.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(dir.File("r.html")));
        Assert.Equal(3 * (Width + ExplainPng.Padding) + ExplainPng.Padding, PngDecoder.Decode(File.ReadAllBytes(dir.File("g.png"))).Width);
    }

    [Fact]
    public void Failed_write_leaves_neither_the_file_nor_a_temporary()
    {
        using var dir = new TempDirectory();
        Assert.Throws<DataFormatException>(() => AtomicFile.Write(dir.File("x.html"), "HTML report", s => { s.WriteByte(1); throw new IOException("disk full"); }));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static int[] Pixel(Image image, int x, int y) => [image[x, y, 0], image[x, y, 1], image[x, y, 2]];
}
