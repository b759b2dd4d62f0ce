using System.Text;
using System.Text.Json;

namespace CnnLens.Reports;

/// <summary>
/// The metadata of an <see cref="ExplainReport"/> as JSON (no images): model, preprocessing, and per
/// image the input size, top predictions and per method the target, layer, options, timing, view,
/// colormap, colour scale and convergence delta. Field names are snake_case and stable.
/// </summary>
public static class JsonReport
{
    public static string Render(ExplainReport report, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(json, report);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the JSON to <paramref name="path"/> atomically.</summary>
    public static void Write(ExplainReport report, string path) =>
        AtomicFile.WriteAllBytes(path, "JSON report", Encoding.UTF8.GetBytes(Render(report) + "\n"));

    private static void Write(Utf8JsonWriter json, ExplainReport report)
    {
        json.WriteStartObject();
        json.WriteString("model", report.ModelName);
        json.WriteString("preprocessing", report.Preprocessing);
        json.WriteString("created_utc", report.CreatedUtc.UtcDateTime.ToString("O"));
        json.WriteStartArray("images");
        foreach (var section in report.Images)
        {
            json.WriteStartObject();
            json.WriteString("source", section.Source);
            json.WriteNumber("width", section.Input.Width);
            json.WriteNumber("height", section.Input.Height);
            json.WriteStartArray("predictions");
            foreach (var p in section.Predictions)
            {
                json.WriteStartObject();
                json.WriteNumber("index", p.Index);
                WriteNullableString(json, "name", p.Name);
                json.WriteNumber("probability", p.Probability);
                json.WriteNumber("logit", p.Logit);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("methods");
            foreach (var panel in section.Panels) WritePanel(json, panel);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePanel(Utf8JsonWriter json, ReportPanel panel)
    {
        json.WriteStartObject();
        json.WriteString("method", panel.Method);
        json.WriteStartObject("target");
        json.WriteNumber("index", panel.TargetIndex);
        WriteNullableString(json, "name", panel.TargetName);
        WriteNullableString(json, "neuron", panel.Neuron);
        json.WriteEndObject();
        WriteNullableString(json, "layer", panel.Layer);
        json.WriteBoolean("signed", panel.IsSigned);
        json.WriteStartObject("options");
        foreach (var (key, value) in panel.Options) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteNumber("elapsed_ms", Math.Round(panel.Elapsed.TotalMilliseconds, 3));
        if (panel.ConvergenceDelta is { } delta && double.IsFinite(delta)) json.WriteNumber("convergence_delta", delta);
        else json.WriteNull("convergence_delta");
        if (panel.SurrogateRSquared is { } fit && double.IsFinite(fit)) json.WriteNumber("surrogate_r2", fit);
        json.WriteString("view", ReportFormat.View(panel.View));
        json.WriteString("colormap", panel.Figures[0].Colormap);
        if (float.IsFinite(panel.Scale)) json.WriteNumber("scale", panel.Scale);
        else json.WriteNull("scale");
        json.WriteStartArray("figures");
        foreach (var figure in panel.Figures) json.WriteStringValue(figure.Caption);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
