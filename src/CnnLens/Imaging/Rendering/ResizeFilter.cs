namespace CnnLens.Imaging.Rendering;

/// <summary>How grid cells are resized to the common cell size.</summary>
public enum ResizeFilter
{
    /// <summary>Nearest neighbour: keeps hard pixel edges (filter weights, small activation maps).</summary>
    Nearest,

    /// <summary>Bilinear with half-pixel centres (align_corners=False), no antialiasing.</summary>
    Bilinear,
}
