using CnnLens.Attribution.Perturbation;
using CnnLens.Graph;
using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// ablation-cam (Desai &amp; Ramaswamy 2020, as pytorch-grad-cam's AblationCAM computes it): the
/// weight of channel c is (s − s_c) / s, where s is the target logit and s_c the logit with channel c
/// of the layer set to zero; the map is ReLU(Σ_c w_c A_c). The ablated layer values run through
/// <see cref="PartialForward"/>, so only the layers after the chosen one are computed again (the
/// reference re-runs the whole network per channel), <see cref="GradientFreeCam.BatchSize"/>
/// channels at a time (default 32, as pytorch-grad-cam).
/// </summary>
public sealed class AblationCam(string? layer = null, int batchSize = AblationCam.DefaultBatchSize) : GradientFreeCam(layer, batchSize)
{
    public const int DefaultBatchSize = 32;

    public override string Name => "ablation-cam";

    protected override Tensor Map(CamLayer layer)
    {
        var activation = layer.Activation;
        PerturbedScores.CheckBatch(activation.Shape[1..], BatchSize);
        int images = activation.Dim(0), channels = activation.Dim(1), plane = activation.Dim(2) * activation.Dim(3);
        int perImage = channels * plane;
        var original = Targets.Scores(layer.Logits, layer.Targets);
        for (int image = 0; image < images; image++)
            if (original[image] == 0)
                throw new CnnLensException($"ablation-cam divides by the target score, which is exactly 0 for image {image} (class {layer.Targets[image]}); explain another class or use score-cam");
        var partial = new PartialForward(layer.Model, layer.Name);

        var ablated = ChannelScores.Evaluate(this, images, channels, layer.Targets, BatchSize, (first, count) =>
        {
            var batch = new Tensor([count, .. activation.ShapeArray[1..]]);
            var imageOfRow = new int[count];
            for (int i = 0; i < count; i++)
            {
                int image = (first + i) / channels, channel = (first + i) % channels;
                imageOfRow[i] = image;
                activation.Data.AsSpan(image * perImage, perImage).CopyTo(batch.Data.AsSpan(i * perImage, perImage));
                batch.Data.AsSpan(i * perImage + channel * plane, plane).Clear();
            }
            return partial.Run(layer.Values, batch, layer.Model.LogitsName, imageOfRow);
        });

        // float32 arithmetic, as the reference computes it in NumPy float32
        var weights = new float[ablated.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            float score = (float)original[i / channels];
            weights[i] = (score - ablated[i]) / score;
        }
        return WeightedSum(activation, weights);
    }
}
