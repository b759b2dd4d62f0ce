namespace CnnLens.Imaging.Rendering;

/// <summary>Which part of a signed attribution map is shown.</summary>
public enum HeatmapView
{
    /// <summary>Both signs: [-s, s] on a diverging map with zero at the neutral centre.</summary>
    Signed,

    /// <summary>Only evidence for the class (negative values become 0).</summary>
    Positive,

    /// <summary>Only evidence against the class (positive values become 0), shown by magnitude.</summary>
    Negative,

    /// <summary>|value|: where the model is sensitive, regardless of direction.</summary>
    Absolute,
}
