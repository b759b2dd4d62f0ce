using System.Text.Json;

namespace CnnLens.Tests.Imaging.Rendering;

/// <summary>Loads the JSON fixtures written by tools/make_colormap_tables.py.</summary>
internal static class RenderingFixtures
{
    public static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "colormaps", name)));

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
