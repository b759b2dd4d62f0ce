namespace CnnLens.Visualization;

/// <summary>
/// Receptive field along one axis of a feature map: position p sees input pixels
/// [Start + p·Jump, Start + p·Jump + Size). Size is the field's extent, Jump the distance in input
/// pixels between neighbouring positions (the product of strides), Start the first field's offset
/// (negative when it reaches into padding).
/// </summary>
public readonly record struct AxisReach(int Size, int Jump, int Start)
{
    /// <summary>The input itself: each pixel sees itself.</summary>
    public static AxisReach Identity => new(1, 1, 0);

    /// <summary>
    /// After a window (Conv or pool) of <paramref name="kernel"/> taps with the given stride,
    /// dilation and begin padding: the dilated extent e = (k−1)·d + 1 adds (e−1)·Jump pixels,
    /// strides multiply, and padding moves the first window back by pad·Jump.
    /// </summary>
    public AxisReach Window(int kernel, int stride, int dilation, int padBegin) =>
        new(Size + ((kernel - 1) * dilation) * Jump, Jump * stride, Start - padBegin * Jump);

    /// <summary>Union of two fields with the same jump (elementwise merges): from the smaller start to the larger end.</summary>
    public AxisReach Merge(AxisReach other)
    {
        int start = Math.Min(Start, other.Start);
        int end = Math.Max(Start + Size, other.Start + other.Size);
        return new AxisReach(end - start, Jump, start);
    }

    public int First(int position) => Start + position * Jump;
}
