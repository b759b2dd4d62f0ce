using System.Text.Json;
using CnnLens.Tests.Support;

namespace CnnLens.Tests.Training;

/// <summary>The PyTorch numbers tools/make_training_fixtures.py wrote (Fixtures/training/*.json).</summary>
public static class TrainingFixtures
{
    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Fixture("training", name))).RootElement;

    public static float[] Floats(this JsonElement element) => element.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static int[] Ints(this JsonElement element) => element.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= absolute + relative * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }
}
