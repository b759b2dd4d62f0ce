namespace CnnLens.Tensors;

/// <summary>Joining and splitting tensors along the batch (first) dimension.</summary>
public static class Batch
{
    /// <summary>Stacks batches with equal per-image shapes into one.</summary>
    public static Tensor Concat(params Tensor[] parts)
    {
        var rest = parts[0].ShapeArray[1..];
        foreach (var p in parts)
            if (!p.Shape[1..].SequenceEqual(rest))
                throw new ShapeMismatchException($"cannot stack {p} with {parts[0]}: per-image shapes differ");
        var result = new Tensor([parts.Sum(p => p.Dim(0)), .. rest]);
        int offset = 0;
        foreach (var p in parts)
        {
            p.Data.CopyTo(result.Data, offset);
            offset += p.Length;
        }
        return result;
    }

    /// <summary>Images [start, start+count) of a batch, copied.</summary>
    public static Tensor Slice(Tensor batch, int start, int count)
    {
        int perImage = batch.Length / batch.Dim(0);
        return new Tensor([count, .. batch.ShapeArray[1..]], batch.Data.AsSpan(start * perImage, count * perImage).ToArray());
    }

    /// <summary>Values per image (the product of all but the first dimension).</summary>
    public static int PerImage(Tensor batch) => batch.Length / batch.Dim(0);
}
