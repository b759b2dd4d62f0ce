namespace CnnLens.Imaging.Codecs.Jpeg;

/// <summary>One colour component of a JPEG frame and its quantised DCT coefficients.</summary>
internal sealed class JpegComponent
{
    public required int Id { get; init; }

    public required int HorizontalSampling { get; init; }

    public required int VerticalSampling { get; init; }

    public required int QuantTableIndex { get; init; }

    /// <summary>Blocks per row / column covering whole MCUs (what interleaved scans address).</summary>
    public int BlocksPerLine { get; set; }

    public int BlocksPerColumn { get; set; }

    /// <summary>Blocks per row / column that hold real samples (what non-interleaved scans address).</summary>
    public int ScanBlocksPerLine { get; set; }

    public int ScanBlocksPerColumn { get; set; }

    /// <summary>Samples per row / column actually present: ceil(image size x sampling / max sampling).</summary>
    public int DownsampledWidth { get; set; }

    public int DownsampledHeight { get; set; }

    /// <summary>64 coefficients per block in natural (row-major) order.</summary>
    public short[] Coefficients { get; set; } = [];

    /// <summary>The quantisation table in natural order, latched at the first scan of this component as libjpeg does.</summary>
    public ushort[]? Quantization { get; set; }

    /// <summary>DC predictor of the current scan.</summary>
    public int DcPredictor;

    public JpegHuffmanTable? DcTable;

    public JpegHuffmanTable? AcTable;
}
