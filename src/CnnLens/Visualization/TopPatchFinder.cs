using CnnLens.Attribution;
using CnnLens.Graph;
using CnnLens.Imaging;
using CnnLens.Imaging.Codecs;
using CnnLens.Imaging.Preprocessing;
using CnnLens.Tensors;

namespace CnnLens.Visualization;

/// <summary>
/// Finds, over a set of images, the k that excite each chosen channel of a layer most (score =
/// the channel map's maximum over positions) with the receptive-field patch around that position.
/// Images are preprocessed and run in batches; progress is reported per image and the scan stops
/// at cancellation between batches.
/// </summary>
public static class TopPatchFinder
{
    public const string ProgressLabel = "top-patches";

    public static TopPatchResult Find(
        Model model, IReadOnlyList<string> files, PreprocessingOptions preprocessing, string layer, IReadOnlyList<int> channels,
        TopPatchOptions? options = null, IProgress<AttributionProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new TopPatchOptions();
        options.Validate();
        preprocessing.Validate();
        if (files.Count == 0) throw new InvalidOptionException("top-patches needs at least one image");
        if (channels.Count == 0) throw new InvalidOptionException("name at least one channel");
        if (!model.Graph.HasTensor(layer)) throw LayerNames.NotFound(model, layer);

        var best = channels.Select(_ => new List<TopPatch>()).ToArray();
        var calculators = new Dictionary<(int, int), ReceptiveFieldCalculator>();
        int done = 0;
        var pending = new List<(int Index, Tensor Tensor, Image Prepared)>();
        void Flush()
        {
            if (pending.Count == 0) return;
            cancellation.ThrowIfCancellationRequested();
            var batch = Batch.Concat(pending.Select(p => p.Tensor).ToArray());
            var activation = model.Forward(batch, [layer])[layer];
            if (done == 0) CheckLayer(layer, activation, channels);
            var key = (batch.Dim(2), batch.Dim(3));
            if (!calculators.TryGetValue(key, out var calculator))
                calculators[key] = calculator = ReceptiveFieldCalculator.For(model, batch);
            int c = activation.Dim(1), h = activation.Dim(2), w = activation.Dim(3), plane = h * w;
            for (int n = 0; n < pending.Count; n++)
                for (int k = 0; k < channels.Count; k++)
                {
                    var values = activation.Data.AsSpan((n * c + channels[k]) * plane, plane);
                    int at = 0;
                    for (int i = 1; i < plane; i++) if (values[i] > values[at]) at = i;
                    int rank = RankOf(best[k], values[at]);
                    if (rank >= options.Top) continue;
                    int image = pending[n].Index;
                    var field = calculator.Of(layer, at / w, at % w);
                    best[k].Insert(rank, new TopPatch(image, files[image], channels[k], values[at], at / w, at % w, field) { Patch = Cut(pending[n].Prepared, field.Unclipped) });
                    if (best[k].Count > options.Top) best[k].RemoveAt(options.Top);
                }
            done += pending.Count;
            progress?.Report(new AttributionProgress(ProgressLabel, done, files.Count));
            pending.Clear();
        }

        for (int i = 0; i < files.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            // The prepared image is kept until its batch is scored: patches are cut from what the model saw.
            var prepared = ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(files[i], DecodeOptions.MatchPil), preprocessing);
            var tensor = ImagePreprocessor.ToTensorPrepared(prepared, preprocessing);
            if (tensor.Rank == 3) tensor = tensor.Reshape([1, .. tensor.ShapeArray]);
            if (pending.Count > 0 && !pending[0].Tensor.SameShape(tensor)) Flush();
            pending.Add((i, tensor, prepared));
            // The first image runs alone, so a bad layer or channel is reported before the long scan.
            if (pending.Count == options.BatchSize || done == 0) Flush();
        }
        Flush();

        return new TopPatchResult { Layer = layer, Channels = channels.ToArray(), Patches = best.Select(b => (IReadOnlyList<TopPatch>)b.ToArray()).ToArray(), Sources = files.ToArray() };
    }

    /// <summary>The pixels of <paramref name="region"/> (RGB), mid-grey where it lies outside the image.</summary>
    public static Image Cut(Image image, PixelRectangle region)
    {
        var patch = new Image(Math.Max(1, region.Width), Math.Max(1, region.Height), 3);
        for (int y = 0; y < patch.Height; y++)
            for (int x = 0; x < patch.Width; x++)
            {
                int sy = region.Top + y, sx = region.Left + x;
                bool inside = sy >= 0 && sy < image.Height && sx >= 0 && sx < image.Width;
                for (int k = 0; k < 3; k++)
                    patch[x, y, k] = inside ? image[sx, sy, image.Channels >= 3 ? k : 0] : (byte)128;
            }
        return patch;
    }

    private static void CheckLayer(string layer, Tensor activation, IReadOnlyList<int> channels)
    {
        if (activation.Rank != 4)
            throw new InvalidOptionException($"layer '{layer}' is {activation}; top patches need a feature map [N,C,H,W] (pick a Conv, Relu or pool output)");
        foreach (int channel in channels)
            if (channel < 0 || channel >= activation.Dim(1))
                throw new InvalidOptionException($"channel {channel} is outside layer '{layer}' ({activation.Dim(1)} channels: 0..{activation.Dim(1) - 1})");
    }

    /// <summary>Where an activation goes in a list sorted by decreasing activation: after equal values, so an earlier image keeps its place.</summary>
    private static int RankOf(List<TopPatch> list, float activation)
    {
        int at = list.FindIndex(p => activation > p.Activation);
        return at < 0 ? list.Count : at;
    }
}
