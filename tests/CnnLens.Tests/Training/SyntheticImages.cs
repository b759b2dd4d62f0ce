using CnnLens.Tensors;
using CnnLens.Training;

namespace CnnLens.Tests.Training;

/// <summary>A two-class toy set: horizontal stripes vs vertical stripes, random period, phase and noise.</summary>
public static class SyntheticImages
{
    public static TrainingData Stripes(int count, int size, int seed, int channels = 1)
    {
        var random = new Random(seed);
        var images = new Tensor(count, channels, size, size);
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            int period = 3 + random.Next(3), phase = random.Next(period);
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        int along = labels[n] == 0 ? y : x;
                        float value = (along + phase) % period == 0 ? 0.9f : 0.1f;
                        images.Data[((n * channels + c) * size + y) * size + x] = Math.Clamp(value + (float)(random.NextDouble() - 0.5) * 0.3f, 0f, 1f);
                    }
        }
        return new TrainingData(images, labels, ["horizontal", "vertical"]);
    }
}
