namespace CnnLens.Tensors.Kernels;

/// <summary>
/// A GEMM operand packed once into the panel layout <see cref="Gemm"/>'s micro-kernel reads, so a
/// constant matrix (convolution or fully-connected weights) is not repacked on every call.
/// Layout: for each depth block of <see cref="Gemm.DepthBlock"/> rows of K starting at p0, the
/// panels follow each other from offset p0 * PaddedWidth; a panel holds, for every k of the block,
/// <see cref="PanelWidth"/> consecutive values (zero beyond the matrix edge).
/// </summary>
public sealed class PackedMatrix
{
    internal PackedMatrix(bool isLeftOperand, int rows, int cols, int panelWidth, float[] data)
    {
        IsLeftOperand = isLeftOperand;
        Rows = rows;
        Cols = cols;
        PanelWidth = panelWidth;
        Data = data;
    }

    /// <summary>True for a packed A (M x K), false for a packed B (K x N).</summary>
    public bool IsLeftOperand { get; }

    /// <summary>Rows of op(A) or op(B) as the product sees them.</summary>
    public int Rows { get; }

    /// <summary>Columns of op(A) or op(B) as the product sees them.</summary>
    public int Cols { get; }

    /// <summary>Micro-panel width: MR for A, NR for B.</summary>
    internal int PanelWidth { get; }

    /// <summary>The non-K dimension rounded up to whole panels.</summary>
    internal int PaddedWidth => Gemm.RoundUp(IsLeftOperand ? Rows : Cols, PanelWidth);

    internal float[] Data { get; }
}
