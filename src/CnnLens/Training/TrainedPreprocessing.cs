using System.Text.Json;
using System.Text.Json.Serialization;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Onnx;

namespace CnnLens.Training;

/// <summary>
/// The preprocessing a trained model expects, stored in the ONNX metadata under
/// <see cref="MetadataKey"/> as JSON, e.g.
/// <c>{"width":28,"height":28,"grayscale":true,"mean":[0],"std":[1],"scale":1}</c>:
/// decode, convert to gray or RGB, resize to exactly width x height (PIL bilinear), divide by 255
/// and multiply by scale, then (x − mean) / std per channel. predict and explain use it when
/// the user gives no preprocessing flags.
/// </summary>
public sealed record TrainedPreprocessing
{
    public const string MetadataKey = "cnnlens.preprocessing";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonPropertyName("width")]
    public int Width { get; init; }

    [JsonPropertyName("height")]
    public int Height { get; init; }

    [JsonPropertyName("grayscale")]
    public bool Grayscale { get; init; }

    [JsonPropertyName("mean")]
    public float[] Mean { get; init; } = [0f];

    [JsonPropertyName("std")]
    public float[] Std { get; init; } = [1f];

    [JsonPropertyName("scale")]
    public float Scale { get; init; } = 1f;

    /// <summary>What <see cref="TrainingData"/> holds: values 0..1, no normalisation.</summary>
    public static TrainedPreprocessing For(TrainingData data) =>
        new() { Width = data.Width, Height = data.Height, Grayscale = data.Channels == 1 };

    public PreprocessingOptions ToOptions() => new()
    {
        Grayscale = Grayscale,
        ResizeExact = (Width, Height),
        Mean = Mean,
        Std = Std,
        Scale = Scale,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The preprocessing stored in <paramref name="model"/>, or null when it has none.</summary>
    public static TrainedPreprocessing? FromMetadata(OnnxModel model)
    {
        if (!model.Metadata.TryGetValue(MetadataKey, out var json)) return null;
        TrainedPreprocessing? value;
        try
        {
            value = JsonSerializer.Deserialize<TrainedPreprocessing>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"model metadata '{MetadataKey}' is not valid JSON: {e.Message}", e);
        }
        if (value is null || value.Width <= 0 || value.Height <= 0)
            throw new ModelLoadException($"model metadata '{MetadataKey}' needs a positive width and height, got '{json}'");
        try
        {
            value.ToOptions().Validate();
        }
        catch (InvalidOptionException e)
        {
            throw new ModelLoadException($"model metadata '{MetadataKey}' is not usable: {e.Message}");
        }
        return value;
    }
}
