using CnnLens.Attribution.Perturbation;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// score-cam (Wang et al. 2020, as pytorch-grad-cam's ScoreCAM computes it): every activation
/// channel A_c is upsampled bilinearly (align_corners, as torch's UpsamplingBilinear2d) to the input
/// size, min-max normalised to M_c = (U − min U)/(max U − min U + 1e-8), and the model scores the
/// input x ⊙ M_c; the channel weights are the softmax over channels of those target logits, and the
/// map is ReLU(Σ_c w_c A_c) at the layer's resolution (the upsampling only makes the masks).
/// Costs one forward pass per channel, <see cref="GradientFreeCam.BatchSize"/> (default 16, as
/// pytorch-grad-cam) at a time.
/// </summary>
public sealed class ScoreCam(string? layer = null, int batchSize = ScoreCam.DefaultBatchSize) : GradientFreeCam(layer, batchSize)
{
    public const int DefaultBatchSize = 16;

    public override string Name => "score-cam";

    protected override void CheckInput(Tensor input)
    {
        if (input.Rank != 4)
            throw new InvalidOptionException($"score-cam masks an image input [N,C,H,W]; the model's input is {input}");
        PerturbedScores.CheckBatch(input.Shape[1..], BatchSize);
    }

    protected override Tensor Map(CamLayer layer)
    {
        var (input, activation) = (layer.Input, layer.Activation);
        int images = activation.Dim(0), channels = activation.Dim(1), h = activation.Dim(2), w = activation.Dim(3);
        int height = input.Dim(2), width = input.Dim(3), pixels = height * width, perImage = Batch.PerImage(input);
        var rows = AxisResampling.Linear(h, height, (double)height / h, CoordinateTransformation.AlignCorners);
        var columns = AxisResampling.Linear(w, width, (double)width / w, CoordinateTransformation.AlignCorners);

        var scores = ChannelScores.Evaluate(this, images, channels, layer.Targets, BatchSize, (first, count) =>
        {
            var batch = new Tensor([count, .. input.ShapeArray[1..]]);
            Parallelism.For(count, (from, to) =>
            {
                for (int i = from; i < to; i++)
                {
                    int image = (first + i) / channels, channel = (first + i) % channels;
                    var map = new Tensor([h, w], activation.Data.AsSpan((image * channels + channel) * h * w, h * w).ToArray());
                    var mask = columns.Apply(rows.Apply(map, 0), 1).Data;
                    float min = float.PositiveInfinity, max = float.NegativeInfinity;
                    foreach (float v in mask) { min = Math.Min(min, v); max = Math.Max(max, v); }
                    float range = max - min + 1e-8f;
                    var source = input.Data.AsSpan(image * perImage, perImage);
                    var destination = batch.Data.AsSpan(i * perImage, perImage);
                    for (int offset = 0; offset < perImage; offset += pixels)
                        for (int p = 0; p < pixels; p++)
                            destination[offset + p] = source[offset + p] * ((mask[p] - min) / range);
                }
            }, costPerItem: 4.0 * perImage);
            return layer.Model.Predict(batch);
        });

        // Softmax over the channels of each image.
        var weights = new float[scores.Length];
        for (int image = 0; image < images; image++)
        {
            var s = scores.AsSpan(image * channels, channels);
            float max = float.NegativeInfinity;
            foreach (float v in s) max = Math.Max(max, v);
            double sum = 0;
            foreach (float v in s) sum += Math.Exp(v - max);
            for (int c = 0; c < channels; c++) weights[image * channels + c] = (float)(Math.Exp(s[c] - max) / sum);
        }
        return WeightedSum(activation, weights);
    }
}
