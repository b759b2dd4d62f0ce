using CnnLens.Tensors;

namespace CnnLens.Attribution;

/// <summary>
/// A layer channel — or one neuron of it at (<see cref="Y"/>, <see cref="X"/>) — as the quantity to
/// explain instead of a class logit (Captum's neuron attributions): the seed of the reverse pass is 1
/// on that channel's activations (all positions, i.e. their sum, or the single position) of every image.
/// </summary>
public sealed record NeuronTarget(string Layer, int Channel, int? Y = null, int? X = null)
{
    /// <summary>"channel 5 of layer L" or "neuron (5, 3, 4) of layer L".</summary>
    public override string ToString() =>
        Y is null ? $"channel {Channel} of {Layer}" : $"neuron (channel {Channel}, y {Y}, x {X}) of {Layer}";

    /// <summary>Checks the channel and position against the layer's activation [N,C,H,W] or [N,C].</summary>
    public void Check(Tensor activation)
    {
        if (activation.Rank is not (2 or 4))
            throw new ShapeMismatchException($"layer '{Layer}' is {activation}; a neuron target needs a layer shaped [N,C,H,W] or [N,C]");
        int channels = activation.Dim(1);
        if (Channel < 0 || Channel >= channels)
            throw new InvalidOptionException($"channel {Channel} is outside layer '{Layer}' ({channels} channels: 0..{channels - 1})");
        if ((Y is null) != (X is null))
            throw new InvalidOptionException("a neuron position needs both y and x");
        if (Y is { } y && X is { } x)
        {
            if (activation.Rank != 4) throw new InvalidOptionException($"layer '{Layer}' is {activation}: it has no spatial positions");
            if (y < 0 || y >= activation.Dim(2) || x < 0 || x >= activation.Dim(3))
                throw new InvalidOptionException($"position ({y}, {x}) is outside layer '{Layer}' ({activation.Dim(2)}x{activation.Dim(3)})");
        }
    }

    /// <summary>The seed gradient: 1 at every selected activation of every image, 0 elsewhere.</summary>
    public Tensor Seed(Tensor activation)
    {
        Check(activation);
        var seed = new Tensor(activation.ShapeArray);
        foreach (int i in Indices(activation)) seed.Data[i] = 1;
        return seed;
    }

    /// <summary>The explained value per image: the sum of the selected activations.</summary>
    public double[] Scores(Tensor activation)
    {
        Check(activation);
        int batch = activation.Dim(0), perImage = activation.Length / batch;
        var scores = new double[batch];
        foreach (int i in Indices(activation)) scores[i / perImage] += activation.Data[i];
        return scores;
    }

    private IEnumerable<int> Indices(Tensor activation)
    {
        int batch = activation.Dim(0), channels = activation.Dim(1);
        int plane = activation.Rank == 4 ? activation.Dim(2) * activation.Dim(3) : 1;
        for (int n = 0; n < batch; n++)
        {
            int start = (n * channels + Channel) * plane;
            if (Y is { } y && X is { } x) yield return start + y * activation.Dim(3) + x;
            else
                for (int p = 0; p < plane; p++) yield return start + p;
        }
    }
}
